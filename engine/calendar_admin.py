"""The administrator's edits to the legal calendar: one day at a time, or a
whole year entered from the State Council's notice. Each edit is one
transaction; the process's calendar follows at once (refresh) and every
other process within one sweep."""
from __future__ import annotations

from datetime import date

from sqlalchemy import delete, select

from models import CalendarDay, CalendarYear, utcnow

from .workcalendar import day_info, refresh_overrides


def set_day(session, day: date, working: bool, note: str = "", user_id: int | None = None) -> None:
    row = session.get(CalendarDay, day) or CalendarDay(day=day)
    row.working, row.note, row.updated_by_id, row.updated_at = working, note.strip()[:200], user_id, utcnow()
    session.add(row)
    session.flush()
    refresh_overrides(session.connection())


def set_range(session, first: date, last: date, working: bool, note: str = "", user_id: int | None = None) -> int:
    """Every day from first to last inclusive (a closure of several weeks)."""
    if last < first:
        raise ValueError("the range ends before it starts")
    if (last - first).days > 366:
        raise ValueError("a range covers at most one year")
    count = 0
    for ordinal in range(first.toordinal(), last.toordinal() + 1):
        set_day(session, date.fromordinal(ordinal), working, note, user_id)
        count += 1
    return count


def clear_day(session, day: date) -> bool:
    gone = session.execute(delete(CalendarDay).where(CalendarDay.day == day)).rowcount
    session.flush()
    refresh_overrides(session.connection())
    return bool(gone)


def enter_year(session, year: int, source: str, user_id: int | None = None) -> None:
    """Declare `year` entered: its days not set one by one follow the
    weekday rule. Enter its holidays and adjusted weekends as days first."""
    if not 2000 <= year <= 2100:
        raise ValueError("a year between 2000 and 2100")
    if not source.strip():
        raise ValueError("say where the schedule comes from (the notice's number and date)")
    row = session.get(CalendarYear, year) or CalendarYear(year=year)
    row.source, row.entered_by_id, row.entered_at = source.strip()[:300], user_id, utcnow()
    session.add(row)
    session.flush()
    refresh_overrides(session.connection())


def withdraw_year(session, year: int) -> None:
    session.execute(delete(CalendarYear).where(CalendarYear.year == year))
    session.flush()
    refresh_overrides(session.connection())


def overrides_in(session, year: int) -> list[CalendarDay]:
    return session.scalars(select(CalendarDay).where(CalendarDay.day >= date(year, 1, 1),
                                                     CalendarDay.day <= date(year, 12, 31))
                           .order_by(CalendarDay.day)).all()


def month_grid(year: int, month: int) -> list[list[dict | None]]:
    """Weeks (Monday first) of day_info dicts, None outside the month; a day
    without calendar data carries working_day None and the reason."""
    from calendar import Calendar

    weeks = []
    for week in Calendar().monthdatescalendar(year, month):
        row = []
        for day in week:
            if day.month != month:
                row.append(None)
                continue
            try:
                row.append(day_info(day))
            except ValueError as exc:  # CalendarDataMissing
                row.append({"date": day.isoformat(), "working_day": None, "note": str(exc), "source": "missing"})
        weeks.append(row)
    return weeks
