"""Benchmark: the restaurant case lifecycle persisted through OneWindow's
runtime (one transaction per command, SQLite file) against the same BPMN run
by SpiffWorkflow in memory with no persistence, in the same run.

    .venv/bin/python bench/engine.py [--runs 30] [--json]

Prints medians, the ratio, the stored bytes per case, and how a step's time
changes as a case grows older (correction rounds). The machine is shared
and noisy: read medians and ratios, not single figures."""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from SpiffWorkflow.bpmn import BpmnWorkflow  # noqa: E402
from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine  # noqa: E402
from SpiffWorkflow.util.task import TaskState  # noqa: E402
from sqlalchemy import select  # noqa: E402

from engine.deployment import deploy_paths  # noqa: E402
from engine.departments import WINDOW  # noqa: E402
from engine.runtime import task_data  # noqa: E402
from engine.runtime.service import Runtime  # noqa: E402
from engine.runtime.workflow_cache import WorkflowCache  # noqa: E402
from engine.seeding import seed_demo_users, seed_departments  # noqa: E402
from engine.simulation.actors import demo_actor  # noqa: E402
from engine.simulation.answers import answer  # noqa: E402
from models import Case, Database, ProcessVersion, utcnow  # noqa: E402
from models.migrate import upgrade  # noqa: E402

# The path: a new company (registration + four parallel block tasks), 180 m²
# with a sign and sewer discharge (five permits in parallel), all approved.
INTAKE = json.loads((ROOT / "tests" / "data" / "restaurant_intake.json").read_text(encoding="utf-8"))
FIXED = {"decision": "approve", "mode": "on_site", "method": "window", "complete": True}


def answers_by_task(compiled) -> dict[str, dict]:
    rng = random.Random(7)
    out = {}
    for (_, bpmn_id), info in compiled.user_tasks.items():
        form = compiled.form_for(info)
        out[bpmn_id] = answer(form.schema, FIXED, rng) if form is not None else {}
    return out


def setup(tmp: Path) -> tuple[Database, object, dict]:
    url = f"sqlite:///{tmp / 'bench.sqlite'}"
    upgrade(url)
    db = Database(url)
    with db.write() as session:
        seed_departments(session)
        seed_demo_users(session)
        deploy_paths(session, [ROOT / "processes"])
    runtime = Runtime(db)
    with db.read() as session:
        version = session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == "restaurant",
                                                              ProcessVersion.active.is_(True)))
        compiled = runtime.compiled(version)
    return db, compiled, answers_by_task(compiled)


def in_memory_lifecycle(compiled, answers, script_engine) -> tuple[float, list[float]]:
    """SpiffWorkflow alone: the same tasks, the same data, no persistence."""
    steps = []
    begin = time.perf_counter()
    workflow = BpmnWorkflow(compiled.spec, compiled.subprocess_specs, script_engine=script_engine)
    workflow.do_engine_steps()
    intake = True
    while not workflow.is_completed():
        ready = workflow.get_tasks(state=TaskState.READY, manual=True)
        if not ready:
            raise RuntimeError("in-memory lifecycle stuck")
        task = ready[0]
        info = compiled.task_info(task.task_spec)
        t0 = time.perf_counter()
        data = INTAKE if intake else answers[info.bpmn_id]
        intake = False
        task_data.place(task.data, data, department=info.department or WINDOW,
                        permit_key=info.permit or info.bpmn_id, actor="bench", at=utcnow())
        task.run()
        workflow.do_engine_steps()
        steps.append(time.perf_counter() - t0)
    return time.perf_counter() - begin, steps


def persisted_lifecycle(runtime: Runtime, answers) -> tuple[float, list[float], int]:
    steps = []
    begin = time.perf_counter()
    result = runtime.start_case("restaurant", INTAKE, "clerk")
    while result.work_items:
        item = result.work_items[0]
        t0 = time.perf_counter()
        result = runtime.complete_task(result.case_id, item["task_id"], answers[item["task"]],
                                       demo_actor(item["department"]))
        steps.append(time.perf_counter() - t0)
    total = time.perf_counter() - begin
    if result.status != "completed":
        raise RuntimeError(f"persisted lifecycle ended {result.status}")
    with runtime.db.read() as session:
        stored = len(session.get(Case, result.case_id).state.encode("utf-8"))
    return total, steps, stored


def aging(runtime: Runtime, answers, rounds: int) -> list[float]:
    """Time of the food review completion in each of `rounds` correction rounds."""
    intake = {**INTAKE, "has_company": True, "uscc": "91420103MA4KXXXX0Q", "area_m2": 30,
              "has_sign": False, "discharge_to_sewer": False}
    result = runtime.start_case("restaurant", intake, "clerk")
    env = next(i for i in result.work_items if i["task"] == "Task_Env")
    result = runtime.complete_task(result.case_id, env["task_id"], answers["Task_Env"], "rev_hb")
    times = []
    correct = {**answers["Task_FoodReview"], "decision": "correct", "reason": "补充材料"}
    for _ in range(rounds):
        review = next(i for i in result.work_items if i["task"] == "Task_FoodReview")
        t0 = time.perf_counter()
        result = runtime.complete_task(result.case_id, review["task_id"], correct, "rev_sj")
        times.append(time.perf_counter() - t0)
        for step in ("Task_CorrectionNotice", "Task_CorrectionSupply"):  # the shared correction block
            fix = next(i for i in result.work_items if i["task"] == step)
            result = runtime.complete_task(result.case_id, fix["task_id"], answers[step], "clerk")
    return times


def aging_in_memory(compiled, answers, rounds: int, script_engine) -> list[float]:
    """The same correction rounds with SpiffWorkflow alone, for comparison:
    how much of the slow-down with age is the engine's own."""
    intake = {**INTAKE, "has_company": True, "uscc": "91420103MA4KXXXX0Q", "area_m2": 30,
              "has_sign": False, "discharge_to_sewer": False}
    workflow = BpmnWorkflow(compiled.spec, compiled.subprocess_specs, script_engine=script_engine)
    workflow.do_engine_steps()

    def complete(bpmn_id, data):
        task = next(t for t in workflow.get_tasks(state=TaskState.READY, manual=True)
                    if t.task_spec.name == bpmn_id)
        info = compiled.task_info(task.task_spec)
        task_data.place(task.data, data, department=info.department or WINDOW,
                        permit_key=info.permit or info.bpmn_id, actor="bench", at=utcnow())
        task.run()
        workflow.do_engine_steps()

    complete("Task_Intake", intake)
    complete("Task_Env", answers["Task_Env"])
    correct = {**answers["Task_FoodReview"], "decision": "correct", "reason": "补充材料"}
    times = []
    for _ in range(rounds):
        t0 = time.perf_counter()
        complete("Task_FoodReview", correct)
        times.append(time.perf_counter() - t0)
        complete("Task_CorrectionNotice", answers["Task_CorrectionNotice"])
        complete("Task_CorrectionSupply", answers["Task_CorrectionSupply"])
    return times


def ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--rounds", type=int, default=20, help="correction rounds in the ageing test")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        db, compiled, answers = setup(Path(tmp))
        warm = Runtime(db)
        cold = Runtime(db, workflow_cache=WorkflowCache(capacity=0))
        plain_engine = PythonScriptEngine()
        figures = {"memory": [], "memory_restricted": [], "persisted": [], "persisted_cold": [],
                   "memory_steps": [], "persisted_steps": [], "cold_steps": [], "stored_bytes": []}
        for _ in range(3):  # warm-up: imports, spec cache, SQLite pages
            in_memory_lifecycle(compiled, answers, plain_engine)
            persisted_lifecycle(warm, answers)
        for _ in range(args.runs):
            total, steps = in_memory_lifecycle(compiled, answers, plain_engine)
            figures["memory"].append(total)
            figures["memory_steps"] += steps
            total, _ = in_memory_lifecycle(compiled, answers, warm.script_engine)
            figures["memory_restricted"].append(total)
            total, steps, stored = persisted_lifecycle(warm, answers)
            figures["persisted"].append(total)
            figures["persisted_steps"] += steps
            figures["stored_bytes"].append(stored)
            total, steps, _ = persisted_lifecycle(cold, answers)
            figures["persisted_cold"].append(total)
            figures["cold_steps"] += steps
        ageing = aging(warm, answers, args.rounds)
        ageing_memory = aging_in_memory(compiled, answers, args.rounds, plain_engine)
        db.dispose()
    med = {k: statistics.median(v) for k, v in figures.items()}
    report = {
        "runs": args.runs,
        "completions_per_lifecycle": len(figures["persisted_steps"]) // args.runs,
        "spiffworkflow_in_memory_lifecycle_ms": ms(med["memory"]),
        "spiffworkflow_in_memory_completion_ms": ms(med["memory_steps"]),
        "in_memory_with_restricted_evaluator_lifecycle_ms": ms(med["memory_restricted"]),
        "onewindow_persisted_lifecycle_ms": ms(med["persisted"]),
        "onewindow_persisted_completion_ms": ms(med["persisted_steps"]),
        "onewindow_persisted_lifecycle_no_cache_ms": ms(med["persisted_cold"]),
        "onewindow_persisted_completion_no_cache_ms": ms(med["cold_steps"]),
        "ratio_persisted_to_memory": round(med["persisted"] / med["memory"], 2),
        "ratio_persisted_no_cache_to_memory": round(med["persisted_cold"] / med["memory"], 2),
        "stored_state_bytes_per_case": int(med["stored_bytes"]),
        "ageing_completion_ms_round_1": ms(statistics.median(ageing[:3])),
        "ageing_completion_ms_last_rounds": ms(statistics.median(ageing[-3:])),
        "ageing_in_memory_ms_round_1": ms(statistics.median(ageing_memory[:3])),
        "ageing_in_memory_ms_last_rounds": ms(statistics.median(ageing_memory[-3:])),
        "ageing_rounds": args.rounds,
    }
    if args.json:
        print(json.dumps(report, indent=2))
    else:
        width = max(len(k) for k in report)
        for key, value in report.items():
            print(f"{key:<{width}}  {value}")
    return report


if __name__ == "__main__":
    main()
