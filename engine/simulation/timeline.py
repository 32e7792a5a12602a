"""Simulated time for a simulation: without it every command of a simulated
case runs within milliseconds and every waiting time is zero. With it, the
runtime's clock is a Timeline: case i starts `i × gap` working hours after
the first start, and each completed task takes a random working time: a
share of its legal limit whose mean depends on the department (some are
slower than others and sometimes late, so the dashboard's figures and heat
map have something to show); a task without a limit takes up to an hour
or so, one done on the spot (即办, due when ready) none. All on the legal
calendar (engine/workcalendar.py), so nights, weekends and holidays pass
without work."""
from __future__ import annotations

import random
import zlib
from datetime import datetime

from ..workcalendar import add_working_hours, working_time_between

# A department's mean share of the legal limit it uses: 0.05 to 0.35 (late with
# probability exp(-1/share): almost never to about 6 %), never more than
# twice the limit (a simulation stays within the calendar's known years).
MIN_SHARE, SPREAD_SHARE, MAX_SHARE = 0.05, 0.3, 2.0
UNTIMED_MEAN_HOURS = 0.5


class Timeline:
    def __init__(self, start: datetime, case_gap_hours: float, rng: random.Random | None = None):
        self.first = start
        self.gap = case_gap_hours
        self.rng = rng or random.Random(0)
        self.now = start
        self.finish: dict[str, datetime] = {}  # task id -> when its work item is done

    def __call__(self) -> datetime:
        return self.now

    def start_case(self, index: int) -> None:
        self.now = add_working_hours(self.first, index * self.gap)
        self.finish: dict[str, datetime] = {}

    @staticmethod
    def mean_share(department: str) -> float:
        """Stable per department (a hash of its code, not Python's salted hash())."""
        return MIN_SHARE + zlib.crc32(department.encode()) % 1000 / 1000 * SPREAD_SHARE

    def duration(self, department: str, ready: datetime, due_at: datetime | None) -> float:
        """Working hours a member of `department` takes on a task ready at `ready`."""
        if due_at is None:
            return self.rng.expovariate(1 / UNTIMED_MEAN_HOURS)
        allowed = working_time_between(ready, due_at).total_seconds() / 3600
        share = min(MAX_SHARE, self.rng.expovariate(1 / self.mean_share(department)))
        return allowed * share if allowed > 0 else 0.0

    def pick(self, items: list[dict]) -> dict:
        """The open work item finished next. Each item's finish is set when it
        is first seen (ready now, plus its duration), so parallel branches
        are worked on at the same time; the clock jumps to the earliest."""
        for item in items:
            if item["task_id"] not in self.finish:
                due = datetime.fromisoformat(item["due_at"]) if item.get("due_at") else None
                self.finish[item["task_id"]] = add_working_hours(
                    self.now, self.duration(item["department"], self.now, due))
        item = min(items, key=lambda i: (self.finish[i["task_id"]], i["task_id"]))
        self.now = max(self.now, self.finish[item["task_id"]])
        return item
