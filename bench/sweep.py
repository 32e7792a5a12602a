"""Benchmark: the timer sweep with many waiting cases. How long does the
"fire_timers" job take to find the few cases whose timer is due among
100,000 waiting ones, and to fire them (DESIGN.md decision 8)?

    .venv/bin/python bench/sweep.py [--cases 100000] [--due 300] [--runs 5] [--json]
    .venv/bin/python bench/sweep.py --postgres postgresql+psycopg://postgres@127.0.0.1:5432/ow_bench

One real case of a small process (a review with a boundary timer of 3
working days) is started through the Runtime; its rows (the case with its
serialized state, its work item, its first event) are then copied with Core
bulk inserts into `--cases` cases, of which `--due` have a timer in the past
and the rest one in the next 30 days. Each run restores the due cases and
times (a) the finding query alone and (b) the whole job: find, then for each
case lock, load, fire, advance and persist in its own transaction. Medians
of `--runs`. The PostgreSQL database given is emptied first."""
from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import delete, insert, select, text, update  # noqa: E402

from engine.deployment import deploy_paths  # noqa: E402
from engine.runtime.service import Runtime  # noqa: E402
from engine.timer_jobs import due_cases_query, fire_due_timers  # noqa: E402
from models import Case, CaseEvent, Database, WorkItem  # noqa: E402
from bench.fresh_database import fresh_database  # noqa: E402
from tests.test_timers import START, Clock, boundary_process  # noqa: E402

CASES, ITEMS, EVENTS = Case.__table__, WorkItem.__table__, CaseEvent.__table__
CHUNK = 5000


def prepare(url: str, workdir: Path) -> Database:
    db = fresh_database(url)
    path = workdir / "timer_boundary.bpmn"
    path.write_text(boundary_process(), encoding="utf-8")
    with db.write() as session:
        deploy_paths(session, [path])
    return db


def populate(db: Database, cases: int, due: int, seed: int = 1) -> tuple[list[int], dict, dict, object]:
    """Start one real case, copy it `cases` times; returns the due ids, the
    template case and item rows (to restore them between runs) and the
    moment to sweep at."""
    runtime = Runtime(db, clock=Clock(START))
    first = runtime.start_case("timer_boundary", None, "clerk").case_id
    with db.transaction() as conn:
        case = dict(conn.execute(select(CASES).where(CASES.c.id == first)).one()._mapping)
        item = dict(conn.execute(select(ITEMS).where(ITEMS.c.case_id == first)).one()._mapping)
        event = dict(conn.execute(select(EVENTS).where(EVENTS.c.case_id == first)).one()._mapping)
    del item["id"], event["id"]
    timer_due = case["next_timer_at"]
    now = timer_due + timedelta(hours=1)
    rng = random.Random(seed)
    due_slots = set(rng.sample(range(1, cases), due - 1))
    for start in range(1, cases, CHUNK):
        batch = range(start, min(start + CHUNK, cases))
        rows = []
        for n in batch:
            later = now + timedelta(minutes=rng.randrange(1, 30 * 24 * 60))
            rows.append({**case, "id": first + n, "reference": f"JH-BENCH-{n:07d}",
                         "next_timer_at": timer_due if n in due_slots else later})
        with db.transaction() as conn:
            conn.execute(insert(CASES), rows)
            conn.execute(insert(ITEMS), [{**item, "case_id": r["id"]} for r in rows])
            conn.execute(insert(EVENTS), [{**event, "case_id": r["id"]} for r in rows])
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            conn.execute(text("SELECT setval(pg_get_serial_sequence('cases', 'id'), (SELECT max(id) FROM cases))"))
            conn.execute(text("ANALYZE"))
    else:
        with db.engine.begin() as conn:
            conn.execute(text("ANALYZE"))
    due_ids = [first] + sorted(first + n for n in due_slots)
    return due_ids, case, item, now


def restore(db: Database, due_ids: list[int], case: dict, item: dict) -> None:
    with db.transaction() as conn:
        conn.execute(update(CASES).where(CASES.c.id.in_(due_ids)).values(
            state=case["state"], version=case["version"], next_timer_at=case["next_timer_at"],
            current_step=case["current_step"], updated_at=case["updated_at"]))
        conn.execute(delete(ITEMS).where(ITEMS.c.case_id.in_(due_ids)))
        conn.execute(insert(ITEMS), [{**item, "case_id": i} for i in due_ids])
        conn.execute(delete(EVENTS).where(EVENTS.c.kind == "timer_fired"))


def explain(db: Database, now) -> str:
    """The plan of the finding query's second page (the first has no keyset)."""
    query = due_cases_query(now, after=(now - timedelta(days=1), 0))
    if db.is_sqlite:
        sql = str(query.compile(db.engine, compile_kwargs={"literal_binds": True}))
        with db.engine.connect() as conn:
            return "\n".join(row[-1] for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
    with db.engine.connect() as conn:
        return "\n".join(row[0] for row in conn.execute(text("EXPLAIN ANALYZE " + str(
            query.compile(db.engine, compile_kwargs={"literal_binds": True})))))


def measure(url: str, cases: int, due: int, runs: int, workdir: Path) -> dict:
    db = prepare(url, workdir)
    began = time.perf_counter()
    due_ids, case, item, now = populate(db, cases, due)
    populate_s = time.perf_counter() - began
    finds, fires = [], []
    for _ in range(runs):
        restore(db, due_ids, case, item)
        with db.transaction() as conn:
            t0 = time.perf_counter()
            found = conn.execute(due_cases_query(now, batch=due + 1)).all()
            finds.append(time.perf_counter() - t0)
        assert len(found) == due, (len(found), due)
        t0 = time.perf_counter()
        fired = fire_due_timers(db, now)
        fires.append(time.perf_counter() - t0)
        assert fired == due, (fired, due)
    restore(db, due_ids, case, item)  # the plan as the sweep meets it: due rows waiting
    plan = explain(db, now)
    with db.read() as session:
        state_bytes = len(session.scalar(select(Case.state).where(Case.id == due_ids[0])))
    result = {"database": "sqlite" if db.is_sqlite else "postgresql", "cases": cases, "due": due, "runs": runs,
              "populate_s": round(populate_s, 1), "find_ms": round(statistics.median(finds) * 1000, 2),
              "fire_all_s": round(statistics.median(fires), 3),
              "per_timer_ms": round(statistics.median(fires) * 1000 / due, 2),
              "state_bytes": state_bytes, "plan": plan}
    db.dispose()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--due", type=int, default=300)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--postgres", help="also on this PostgreSQL database (emptied first)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        results.append(measure(f"sqlite:///{workdir / 'bench.sqlite'}", args.cases, args.due, args.runs, workdir))
        if args.postgres:
            results.append(measure(args.postgres, args.cases, args.due, args.runs, workdir))
    if args.json:
        print(json.dumps(results, indent=2))
        return
    for r in results:
        print(f"{r['database']}: {r['cases']:,} waiting cases, {r['due']} due, {r['runs']} runs "
              f"(populated in {r['populate_s']} s; {r['state_bytes']:,} B of state per case)")
        print(f"  find the due cases   {r['find_ms']} ms")
        print(f"  fire them all        {r['fire_all_s']} s  ({r['per_timer_ms']} ms per timer)")
        print("  plan of the finding query:\n    " + r["plan"].replace("\n", "\n    "))


if __name__ == "__main__":
    main()
