"""Simulated time for a simulation: the runtime's clock while it runs. With
a Timeline, case i starts `i × gap` working hours after
the first start, and each completed task takes a random working time: a
share of its legal limit whose mean depends on the department (some are
slower than others and sometimes late, so the dashboard's figures and heat
map have something to show); a task without a limit takes up to an hour
or so, one done on the spot (即办, due when ready) none. All on the legal
calendar (engine/workcalendar.py), so nights, weekends and holidays pass
without work.

Without one a simulation runs on StillTime: people answer at once, every
command of a case at the moment it started, so every waiting time is zero. On either clock a case
that waits on a BPMN timer with nothing open (the video block's
rectification period) moves the clock on to the moment the timer is due
(engine/simulation/runner.py), and only the calendar's known years can be
simulated: `calendar_problem` says before a run whether they reach far
enough."""
from __future__ import annotations

import math
import random
import zlib
from datetime import date, datetime, time, timedelta

from ..workcalendar import (BEIJING, CalendarDataMissing, add_working_days, add_working_hours, is_working_day,
                           working_time_between)

# A department's mean share of the legal limit it uses: 0.05 to 0.35 (late with
# probability exp(-1/share): almost never to about 6 %), never more than
# twice the limit (a simulation stays within the calendar's known years).
MIN_SHARE, SPREAD_SHARE, MAX_SHARE = 0.05, 0.3, 2.0
UNTIMED_MEAN_HOURS = 0.5
# How far one simulated case may run, in working days after it starts: one
# rectification period at the form's longest (60 WD) or a long legal limit
# taken twice over. What the calendar must cover beyond the last start.
CASE_SPAN_WORKING_DAYS = 60


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

    def advance_to(self, moment: datetime) -> None:
        self.now = max(self.now, moment)

    def next_done(self, items: list[dict], _rng: random.Random | None = None) -> tuple[dict, datetime]:
        """The open work item finished next, and when. Each item's finish is
        set when it is first seen (ready now, plus its duration), so parallel
        branches are worked on at the same time; the earliest comes next."""
        for item in items:
            if item["task_id"] not in self.finish:
                due = datetime.fromisoformat(item["due_at"]) if item.get("due_at") else None
                self.finish[item["task_id"]] = add_working_hours(
                    self.now, self.duration(item["department"], self.now, due))
        item = min(items, key=lambda i: (self.finish[i["task_id"]], i["task_id"]))
        return item, max(self.now, self.finish[item["task_id"]])


class StillTime:
    """Time that stands still while people work: every case starts at
    `start` and its commands run at that moment, unless a timer moves it."""

    def __init__(self, start: datetime):
        self.first = self.now = start

    def __call__(self) -> datetime:
        return self.now

    def start_case(self, _index: int) -> None:
        self.now = self.first

    def advance_to(self, moment: datetime) -> None:
        self.now = max(self.now, moment)

    def next_done(self, items: list[dict], rng: random.Random) -> tuple[dict, datetime]:
        return rng.choice(items), self.now


def calendar_problem(start: datetime, working_days: float, from_working_days: float | None = None) -> str | None:
    """Why a simulation from `start` that needs `working_days` of calendar
    after it cannot run, with the latest --from date that could (a run
    --from a date needs `from_working_days`), or None when it can."""
    first = start.astimezone(BEIJING).date()
    missing = _first_missing(first)
    try:
        add_working_days(start, working_days)
        return None
    except CalendarDataMissing:
        pass
    latest = _latest_start(missing - timedelta(days=1), math.ceil(from_working_days or working_days))
    return (f"a simulation from {first.isoformat()} needs the legal calendar {working_days:g} working days "
            f"ahead, and it has no data for {missing.isoformat()} (year {missing.year}): "
            + (f"use --from {latest.isoformat()} or earlier, or " if latest else "")
            + f"enter {missing.year} first (/admin/calendar or `onewindow calendar enter-year`)")


def _first_missing(day: date) -> date | None:
    """The first day from `day` on that the calendar has no data for."""
    for _ in range(3 * 366):
        try:
            is_working_day(day)
        except CalendarDataMissing:
            return day
        day += timedelta(days=1)
    return None


def _latest_start(last_known: date, working_days: int) -> date | None:
    """The latest day from which `working_days` working days end on or
    before `last_known` (the start day not counted)."""
    day, counted = last_known, 0
    try:
        while counted < working_days:
            counted += is_working_day(day)
            day -= timedelta(days=1)
    except CalendarDataMissing:
        return None
    return day


def simulated_start(day: date) -> datetime:
    """09:00 Beijing time on `day`: when a simulation's first case starts."""
    return datetime.combine(day, time(9, 0), BEIJING)
