"""Where a persisted completion's time goes: wraps the runtime's sections
with timers and prints their medians over 20 restaurant lifecycles.

    .venv/bin/python bench/sections.py
"""
from __future__ import annotations

import collections
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.engine as lifecycle  # noqa: E402
from engine import forms  # noqa: E402
from engine.runtime import projections, service, store  # noqa: E402

TIMES: dict[str, list[float]] = collections.defaultdict(list)
SECTIONS = [
    (service.Runtime, "complete_task", "command, total"),
    (service.Runtime, "_complete", "  engine step incl. form validation"),
    (forms.FormSchema, "validate", "    form validation (JSON Schema)"),
    (service.Runtime, "_advance", "    engine steps after the task"),
    (store, "load_case", "  load case row"),
    (store, "load_user", "  load actor"),
    (store, "open_items", "  load work items"),
    (service.Runtime, "_persist", "  persist, total"),
    (service.state_codec, "dump", "    serialize state"),
    (store, "update_case", "    write case row"),
    (projections, "sync_items", "    write work items"),
    (store, "insert_events", "    write audit event"),
]


def timed(owner, name, label):
    original = getattr(owner, name)

    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return original(*args, **kwargs)
        finally:
            TIMES[label].append(time.perf_counter() - start)

    setattr(owner, name, wrapper)


def main() -> None:
    for owner, name, label in SECTIONS:
        timed(owner, name, label)
    with tempfile.TemporaryDirectory() as tmp:
        db, _, answers = lifecycle.setup(Path(tmp))
        runtime = lifecycle.Runtime(db)
        for _ in range(3):
            lifecycle.persisted_lifecycle(runtime, answers)
        TIMES.clear()
        for _ in range(20):
            lifecycle.persisted_lifecycle(runtime, answers)
        db.dispose()
    for _, _, label in SECTIONS:
        if TIMES[label]:
            print(f"{label:<40} {statistics.median(TIMES[label]) * 1000:7.3f} ms")


if __name__ == "__main__":
    main()
