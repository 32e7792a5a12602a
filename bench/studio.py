"""Benchmark: the process studio's commands on the restaurant (issue 7).
How long does a designer wait for a save (the draft written and validated
with the engine's checks and the lint rules), for a deploy, for the check and
the move of one running case to a new version, and for a simulation of a
draft, per generated case?

    .venv/bin/python bench/studio.py [--runs 15] [--cases 30] [--simulated 50] [--json]
    .venv/bin/python bench/studio.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/ow_bench

The library is deployed into a fresh database (a temporary SQLite file, or
the PostgreSQL database given, emptied first). Saves alternate two names of
one task, so every save changes the draft; every deploy deploys a changed
draft. `--cases` restaurant cases wait in the company set-up block when
version 2 (a task renamed, one added: tests/edited_versions.py) is deployed,
then each is checked and moved in its own transaction. Medians."""
from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from engine.case_migration import check_migration, migrate_case  # noqa: E402
from engine.deployment import deploy_paths  # noqa: E402
from engine.library import discover  # noqa: E402
from engine.runtime.service import Runtime  # noqa: E402
from engine.studio import drafts  # noqa: E402
from engine.studio.draft_simulation import simulate_draft  # noqa: E402
from models import Database, User  # noqa: E402
from bench.fresh_database import fresh_database  # noqa: E402
from tests.edited_versions import RENAME_AND_ADD, deploy_edited  # noqa: E402
from tests.studio_helpers import renamed_food_review  # noqa: E402
from tests.walk import start  # noqa: E402

PROCESSES = ROOT / "processes"
INTAKE = ROOT / "tests" / "data" / "restaurant_intake.json"


def prepare(url: str) -> Database:
    db = fresh_database(url)
    with db.write() as session:
        deploy_paths(session, [PROCESSES])
    return db


def _ms(samples: list[float]) -> float:
    return round(statistics.median(samples) * 1000, 1)


def saves_and_deploys(db: Database, runs: int) -> dict:
    save, validate, deploy = [], [], []
    original = None
    for n in range(runs):
        with db.write() as session:
            designer = session.scalar(select(User).where(User.username == "designer"))
            draft = drafts.open_draft(session, "restaurant", designer)
            path = next(p for p in draft.files if p.endswith("restaurant.bpmn"))
            files, revision = dict(draft.files), draft.revision
        original = original or files[path]  # each round renames the library's task anew
        edited = renamed_food_review(original, f"食品经营许可 材料审核（第 {n} 稿）")
        t0 = time.perf_counter()
        with db.write() as session:
            draft = drafts.save_files(session, "restaurant", {path: edited}, revision, designer)
            assert not draft.problems, draft.problems
            revision = draft.revision
        save.append(time.perf_counter() - t0)
        with db.read() as session:
            t0 = time.perf_counter()
            drafts.validate_files(session, "restaurant", {**files, path: edited}, None)
            validate.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        with db.write() as session:
            drafts.deploy_draft(session, "restaurant", revision, designer)
        deploy.append(time.perf_counter() - t0)
    return {"save_ms": _ms(save), "validate_ms": _ms(validate), "deploy_ms": _ms(deploy)}


def migrations(db: Database, cases: int) -> dict:
    runtime = Runtime(db)
    intake = json.loads(INTAKE.read_text(encoding="utf-8"))
    ids = [start(runtime, intake).case_id for _ in range(cases)]  # waiting in the company set-up block
    target = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    checks, moves = [], []
    for case_id in ids:
        with db.read() as session:
            t0 = time.perf_counter()
            assert check_migration(session, case_id, target.id)["can_migrate"]
            checks.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        migrate_case(runtime, case_id, target.id, "designer")
        moves.append(time.perf_counter() - t0)
    return {"cases": cases, "check_ms": _ms(checks), "migrate_ms": _ms(moves)}


def simulation(db: Database, runs: int) -> dict:
    bundle = discover([PROCESSES / "restaurant"])[0]
    t0 = time.perf_counter()
    report = simulate_draft(db, bundle, runs, seed=1)
    seconds = time.perf_counter() - t0
    assert sum(report["statuses"].values()) == runs, report["statuses"]
    return {"simulated_cases": runs, "simulation_s": round(seconds, 2), "per_case_ms": round(seconds * 1000 / runs, 1)}


def measure(url: str, runs: int, cases: int, simulated: int) -> dict:
    db = prepare(url)
    result = {"database": "sqlite" if db.is_sqlite else "postgresql", "runs": runs}
    result.update(saves_and_deploys(db, runs))
    result.update(migrations(db, cases))
    result.update(simulation(db, simulated))
    db.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=15, help="saves and deploys")
    parser.add_argument("--cases", type=int, default=30, help="running cases moved to version 2")
    parser.add_argument("--simulated", type=int, default=50, help="cases simulated on the draft")
    parser.add_argument("--postgres", help="also on this PostgreSQL database (emptied first)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        results.append(measure(f"sqlite:///{Path(tmp) / 'bench.sqlite'}", args.runs, args.cases, args.simulated))
        if args.postgres:
            results.append(measure(args.postgres, args.runs, args.cases, args.simulated))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(f"{r['database']}: medians of {r['runs']} saves and deploys, {r['cases']} moved cases")
        print(f"  save a draft (with validation)  {r['save_ms']} ms   (validation alone {r['validate_ms']} ms)")
        print(f"  deploy a draft                  {r['deploy_ms']} ms")
        print(f"  check a case for migration      {r['check_ms']} ms")
        print(f"  move a case to version 2        {r['migrate_ms']} ms")
        print(f"  simulate the draft              {r['per_case_ms']} ms per case "
              f"({r['simulated_cases']} cases in {r['simulation_s']} s)")


if __name__ == "__main__":
    main()
