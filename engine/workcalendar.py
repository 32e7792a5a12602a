"""Working-day time on the Chinese statutory calendar (DESIGN.md decision 7).

Days come from `chinesecalendar` (with its adjusted working weekends, 调休),
overridden by the administrator's table (models/calendar.py): single days
(local closures, extra working days) and whole years entered from the State
Council's notice before the package has them. A date with neither raises
`CalendarDataMissing`, never a guess. Working hours are 09:00–12:00 and
13:30–18:00 Beijing time; the start day is not counted when adding
whole days (民法典 art. 201)."""
from __future__ import annotations

import math
import threading
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

import chinese_calendar
from sqlalchemy import func, select

BEIJING = ZoneInfo("Asia/Shanghai")
WORK_PERIODS = ((time(9, 0), time(12, 0)), (time(13, 30), time(18, 0)))
# A fraction of a working day is counted in 8-hour days, as the process
# metadata writes them (0.125 day = 1 working hour), though the hall's
# periods above add up to 7.5 hours.
HOURS_PER_DAY = 8.0
# What a working day holds at the hall: remaining time shown in days is
# counted in these (17 working hours left are 2.3 days, not 2.1).
WORKDAY_HOURS = sum((datetime.combine(date.min, end) - datetime.combine(date.min, begin)).total_seconds()
                    for begin, end in WORK_PERIODS) / 3600
END_OF_DAY = time(18, 0)


class CalendarDataMissing(ValueError):
    pass


@dataclass(frozen=True)
class Overrides:
    days: dict = field(default_factory=dict)  # date -> (working, note)
    years: frozenset = frozenset()  # years entered in full by an administrator
    fingerprint: tuple = ()


_overrides = Overrides()
_refresh_lock = threading.Lock()


def use_overrides(days: dict[date, tuple[bool, str]], years=(), fingerprint: tuple = ()) -> None:
    """Replace the process's overrides (one atomic swap; readers never see
    half a table)."""
    global _overrides
    _overrides = Overrides(dict(days), frozenset(years), fingerprint)


def refresh_overrides(conn) -> bool:
    """Reload the administrator's table if it changed since the last load
    (two aggregate queries otherwise). Called at start-up, after an edit
    and by every sweep, so every process follows within one sweep."""
    from models import CalendarDay, CalendarYear

    fingerprint = (*conn.execute(select(func.count(), func.max(CalendarDay.updated_at))).one(),
                   *conn.execute(select(func.count(), func.max(CalendarYear.entered_at))).one())
    if fingerprint == _overrides.fingerprint:
        return False
    with _refresh_lock:
        days = {row.day: (row.working, row.note) for row in conn.execute(
            select(CalendarDay.day, CalendarDay.working, CalendarDay.note))}
        years = conn.execute(select(CalendarYear.year)).scalars().all()
        use_overrides(days, years, fingerprint)
    return True


def _missing(day: date) -> CalendarDataMissing:
    return CalendarDataMissing(
        f"no statutory calendar data for {day.isoformat()} (year {day.year}); "
        "an administrator must enter that year's holidays and adjusted working days")


def is_working_day(day: date) -> bool:
    override = _overrides.days.get(day)
    if override is not None:
        return override[0]
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:
        if day.year in _overrides.years:
            return day.weekday() < 5
        raise _missing(day) from None


def year_has_data(year: int) -> bool:
    """Whether the calendar can answer for every day of `year`: the
    package publishes it, or an administrator entered it in full."""
    if year in _overrides.years:
        return True
    try:
        chinese_calendar.is_workday(date(year, 7, 1))
    except NotImplementedError:
        return False
    return True


def years_without_data(first: date, last: date) -> list[int]:
    """The years from `first` to `last` the calendar knows nothing of: a
    promise that reaches into one of them cannot be computed."""
    return [year for year in range(first.year, last.year + 1) if not year_has_data(year)]


def day_info(day: date) -> dict:
    """What the calendar says about one day, and why."""
    working = is_working_day(day)
    override = _overrides.days.get(day)
    info = {"date": day.isoformat(), "working_day": working, "weekday": day.isoweekday(),
            "adjusted_working_weekend": working and day.weekday() >= 5,
            "holiday": not working and day.weekday() < 5}
    if override is not None:
        return {**info, "source": "override", "note": override[1]}
    try:
        _on_holiday, name = chinese_calendar.get_holiday_detail(day)
    except NotImplementedError:
        return {**info, "source": "entered_year", "note": ""}
    return {**info, "source": "statutory", "note": name or ""}


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


def working_time_between(start: datetime, end: datetime) -> timedelta:
    """Working time from `start` to `end` (negative if end is earlier): what
    the pages show as remaining or overdue time."""
    if end < start:
        return -working_time_between(end, start)
    total = timedelta()
    moment, end = start.astimezone(BEIJING), end.astimezone(BEIJING)
    day = moment.date()
    while day <= end.date():
        if is_working_day(day):
            for begin, finish in WORK_PERIODS:
                lo = max(moment, datetime.combine(day, begin, BEIJING))
                hi = min(end, datetime.combine(day, finish, BEIJING))
                if hi > lo:
                    total += hi - lo
        day += timedelta(days=1)
    return total
