"""Working-day time on the Chinese statutory calendar (DESIGN.md decision 7).

Days come from `chinesecalendar` (with its adjusted working weekends, 调休);
a date in a year it has no data for raises `CalendarDataMissing`, never a
guess. Working hours are 09:00–12:00 and 13:30–18:00 Beijing time (8 h);
the start day is not counted when adding whole days (民法典 art. 201)."""
from __future__ import annotations

import math
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import chinese_calendar

BEIJING = ZoneInfo("Asia/Shanghai")
WORK_PERIODS = ((time(9, 0), time(12, 0)), (time(13, 30), time(18, 0)))
HOURS_PER_DAY = 8.0
END_OF_DAY = time(18, 0)


class CalendarDataMissing(ValueError):
    pass


def is_working_day(day: date) -> bool:
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        raise CalendarDataMissing(
            f"no statutory calendar data for {day.isoformat()} (year {day.year}); "
            "an administrator must enter that year's working days"
        ) from None


def next_working_day(day: date) -> date:
    day += timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def add_working_days(start: datetime, days: float) -> datetime:
    """The end of the Nth working day after `start` (start day not counted).
    A fractional part is added as working hours after that day's start, so
    0.5 day from a morning intake ends the same afternoon."""
    if days < 0:
        raise ValueError("days must not be negative")
    whole = math.floor(days)
    fraction = days - whole
    if whole == 0:
        return add_working_hours(start, fraction * HOURS_PER_DAY)
    day = start.astimezone(BEIJING).date()
    for _ in range(whole):
        day = next_working_day(day)
    end = datetime.combine(day, END_OF_DAY, BEIJING)
    if fraction:
        end = add_working_hours(end, fraction * HOURS_PER_DAY)
    return end.astimezone(timezone.utc)


def add_working_hours(start: datetime, hours: float) -> datetime:
    """Add working time, skipping nights, the lunch break, weekends and holidays."""
    remaining = timedelta(hours=hours)
    moment = start.astimezone(BEIJING)
    for _ in range(3660):  # at most ten years of days: a bound, not a limit anyone meets
        day = moment.date()
        if is_working_day(day):
            for begin, end in WORK_PERIODS:
                period_start = datetime.combine(day, begin, BEIJING)
                period_end = datetime.combine(day, end, BEIJING)
                if moment >= period_end:
                    continue
                moment = max(moment, period_start)
                available = period_end - moment
                if remaining <= available:
                    return (moment + remaining).astimezone(timezone.utc)
                remaining -= available
                moment = period_end
        moment = datetime.combine(day + timedelta(days=1), time(0, 0), BEIJING)
    raise ValueError("working time too long to compute")
