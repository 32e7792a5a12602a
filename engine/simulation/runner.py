"""Simulating cases through the real runtime and database.

Each simulated case starts like a walk-in application, then its open work
items are answered one at a time, in random order, by a member of the right
department, with generated valid form data and random decisions (mostly
approvals, some corrections, a few rejections), until nothing is open. A
case that waits on a timer (cases.next_timer_at) with nothing open, or
whose timer is due before the next item would be done, has its simulated
time moved on to the timer and the timer fired through the runtime's timer
command, the sweep's own path (engine/timer_jobs.py). The report gives the
sequence flows taken and never taken, and every case that was left
stranded: still running with nothing open and no timer, or finished with a
token still live."""
from __future__ import annotations

import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from models import Case

from ..runtime import projections, store
from ..runtime.errors import CommandError
from ..runtime.service import Runtime
from . import coverage
from .actors import demo_actor
from .answers import answer
from .timeline import StillTime, Timeline

DECISION_WEIGHTS = {"approve": 0.72, "correct": 0.18, "reject": 0.10}


@dataclass
class SimulationReport:
    scenario: str
    runs: int
    seed: int
    statuses: Counter = field(default_factory=Counter)
    flow_counts: Counter = field(default_factory=Counter)
    # (spec name, flow id): flow ids are unique only within a BPMN file, and
    # a scenario and a block it calls may both have a "Flow_Registered".
    spec_flow_counts: Counter = field(default_factory=Counter)
    all_flows: list[str] = field(default_factory=list)
    stranded: list[dict] = field(default_factory=list)
    errors: list[dict] = field(default_factory=list)
    commands: int = 0
    timers_fired: int = 0
    seconds: float = 0.0
    cut_short: bool = False  # the time limit stopped it before `runs` cases

    @property
    def untaken(self) -> list[str]:
        return sorted(f for f in self.all_flows if not self.flow_counts[f])

    def as_dict(self) -> dict:
        return {
            "scenario": self.scenario, "runs": self.runs, "seed": self.seed,
            "statuses": dict(self.statuses), "commands": self.commands,
            "timers_fired": self.timers_fired, "seconds": round(self.seconds, 3),
            "flows_total": len(self.all_flows), "flows_taken": len(self.all_flows) - len(self.untaken),
            "untaken_flows": self.untaken, "flow_counts": {f: self.flow_counts[f] for f in self.all_flows},
            "stranded": self.stranded, "errors": self.errors, "cut_short": self.cut_short,
        }


def _choose_decision(schema: dict, rng: random.Random) -> dict:
    options = (schema.get("properties", {}).get("decision") or {}).get("enum")
    if not options:
        return {}
    weights = [DECISION_WEIGHTS.get(o, 0.1) for o in options]
    return {"decision": rng.choices(options, weights)[0]}


def simulate(runtime: Runtime, scenario_key: str, runs: int, seed: int = 0,
             max_commands_per_case: int = 400, timeline: Timeline | None = None,
             start: datetime | None = None, time_limit: float | None = None) -> SimulationReport:
    """`timeline`: run on simulated working time (engine/simulation/timeline.py);
    otherwise every case starts at `start` (default: the runtime's clock
    now) and time moves only to the timers it waits on. Choose a start whose
    calendar data reaches far enough (timeline.calendar_problem).
    `time_limit`: seconds after which no further case starts (at least one
    runs; the report counts those that did)."""
    rng = random.Random(seed)
    report = SimulationReport(scenario_key, runs, seed)
    started = time.perf_counter()
    with runtime.db.read() as session:
        conn = session.connection()
        version = runtime.active_version(conn, scenario_key)
        compiled = runtime.compiled_by_version(conn, version.id)
        files = store.version_with_files(conn, version.id).files["bpmn"]
    flows = coverage.flows_by_endpoints(files)
    report.all_flows = sorted({f for ids in flows.values() for f in ids})
    own_clock = runtime.clock
    clock = timeline if timeline is not None else StillTime(start or own_clock())
    runtime.clock = clock
    try:
        for index in range(runs):
            if index and time_limit is not None and time.perf_counter() - started > time_limit:
                report.runs, report.cut_short = index, True
                break
            clock.start_case(index)
            _run_case(runtime, clock, compiled, scenario_key, flows, rng, report, max_commands_per_case)
    finally:
        runtime.clock = own_clock
    report.seconds = time.perf_counter() - started
    return report


def _next_timer(runtime: Runtime, case_id: int) -> datetime | None:
    with runtime.db.read() as session:
        return session.get(Case, case_id).next_timer_at


def _run_case(runtime, clock, compiled, scenario_key, flows, rng, report, max_commands) -> None:
    try:
        result = runtime.start_case(scenario_key, None, "clerk")
    except CommandError as exc:
        report.errors.append({"case": None, "error": exc.as_dict()})
        return
    report.commands += 1
    case_id, reference = result.case_id, result.reference
    for _ in range(max_commands):
        timer_at = _next_timer(runtime, case_id) if result.status == "running" else None
        item, done_at = clock.next_done(result.work_items, rng) if result.work_items else (None, None)
        if timer_at is not None and (item is None or timer_at <= done_at):
            clock.advance_to(timer_at)
            try:
                fired = runtime.fire_timers(case_id, clock())
            except CommandError as exc:
                report.errors.append({"case": reference, "task": "timer", "error": exc.as_dict()})
                return
            if fired is None:
                report.stranded.append({"case": reference, "why": f"its timer due at {timer_at.isoformat()} "
                                                                  "did not fire"})
                return
            result = fired
            report.commands += 1
            report.timers_fired += 1
            continue
        if item is None:
            break
        clock.advance_to(done_at)
        info_form = _form_schema(compiled, item)
        staff = [demo_actor(item["department"]), demo_actor(item["department"], second=True)]
        data = answer(info_form, _choose_decision(info_form, rng), rng, optional_rate=0.5, staff=staff,
                      now=clock())
        try:
            result = runtime.complete_task(case_id, item["task_id"], data, demo_actor(item["department"]))
        except CommandError as exc:
            report.errors.append({"case": reference, "task": item["task"], "error": exc.as_dict()})
            return
        report.commands += 1
    report.statuses[result.status] += 1
    workflow = runtime.peek_case(case_id)
    taken = coverage.taken_flow_keys(workflow, flows)
    report.spec_flow_counts.update(taken)
    report.flow_counts.update({flow for _, flow in taken})
    _, live = projections.scan(workflow)
    if result.status == "running" and not result.work_items and _next_timer(runtime, case_id) is None:
        report.stranded.append({"case": reference, "why": "running with no open work and no timer "
                                                          "(a token waits forever)"})
    elif result.status != "running" and live:
        report.stranded.append({"case": reference, "why": "finished with a token still live"})
    elif result.status == "running":
        report.stranded.append({"case": reference, "why": f"still open after {max_commands} commands"})


def _form_schema(compiled, item: dict) -> dict:
    form = compiled.forms.get(item["form_key"] or "#" + item["task"])
    return form.schema if form is not None else {}
