"""The two clocks of an enterprise request (SCENARIOS.md §3: 签收 ≤ 1 h,
答复 ≤ 3 WD), in legal working time (engine/workcalendar.py): a request
filed on a Saturday, in the lunch break or at 17:50 is counted from the
next working minute."""
from __future__ import annotations

from datetime import datetime, timedelta

from ..workcalendar import BEIJING, WORK_PERIODS, add_working_days, add_working_hours, is_working_day

SIGN_WITHIN_HOURS = 1
ANSWER_WITHIN_DAYS = 3


def sign_due(start: datetime) -> datetime:
    return add_working_hours(start, SIGN_WITHIN_HOURS)


def answer_due(start: datetime) -> datetime:
    return add_working_days(start, ANSWER_WITHIN_DAYS)


def working_hours_between(start: datetime, end: datetime) -> float:
    """Working hours from `start` to `end`; negative when `end` is earlier
    (how long a deadline has been overdue, in the time that counts)."""
    if end < start:
        return -working_hours_between(end, start)
    total = timedelta()
    begin, finish = start.astimezone(BEIJING), end.astimezone(BEIJING)
    day = begin.date()
    while day <= finish.date():
        if is_working_day(day):
            for open_at, close_at in WORK_PERIODS:
                lo = max(begin, datetime.combine(day, open_at, BEIJING))
                hi = min(finish, datetime.combine(day, close_at, BEIJING))
                if hi > lo:
                    total += hi - lo
        day += timedelta(days=1)
    return total.total_seconds() / 3600
