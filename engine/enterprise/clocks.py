"""The two clocks of an enterprise request (SCENARIOS.md §3: 签收 ≤ 1 h,
答复 ≤ 3 WD), in legal working time (engine/workcalendar.py): a request
filed on a Saturday, in the lunch break or at 17:50 is counted from the
next working minute. How much of a clock is left is
workcalendar.working_time_between, shown by web/time_view.remaining."""
from __future__ import annotations

from datetime import datetime

from ..workcalendar import add_working_days, add_working_hours

SIGN_WITHIN_HOURS = 1
ANSWER_WITHIN_DAYS = 3


def sign_due(start: datetime) -> datetime:
    return add_working_hours(start, SIGN_WITHIN_HOURS)


def answer_due(start: datetime) -> datetime:
    return add_working_days(start, ANSWER_WITHIN_DAYS)
