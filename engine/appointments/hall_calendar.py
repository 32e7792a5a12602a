"""The hall's opening calendar (弹性办) and the slots generated from it.

This calendar says when the hall's doors are open: regular weekday hours,
the uninterrupted lunch session, evening and weekend sessions. It is not the
statutory working-day calendar (engine/workcalendar.py), which alone counts
promises: a case accepted in a Saturday session is still due counting from
the next statutory working day."""
from __future__ import annotations

from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import AppointmentSlot, HallSession, HallWindow

from ..workcalendar import BEIJING
from .rules import SLOT_MINUTES

MAX_GENERATE_DAYS = 92  # one quarter at a time; a typo must not write years of slots


def sessions_on(session: Session, day: date) -> list[HallSession]:
    """The sessions the hall holds on `day`: the weekly ones for its weekday
    and any one-off ones for the date, none if a dated row closes the hall."""
    rows = session.scalars(select(HallSession).where(
        HallSession.active.is_(True),
        (HallSession.on_date == day) | ((HallSession.on_date.is_(None)) & (HallSession.weekday == day.weekday())),
    ).order_by(HallSession.starts)).all()
    if any(row.closed for row in rows):
        return []
    return list(rows)


def categories_for(window: HallWindow, hall_session: HallSession) -> list[str]:
    """The service categories `window` offers in `hall_session`."""
    offered = set(hall_session.categories or [])
    return [c for c in window.categories or [] if not offered or c in offered]


def slot_times(day: date, starts: time, ends: time) -> list[tuple[datetime, datetime]]:
    """Beijing wall-clock session split into SLOT_MINUTES slots (a short
    remainder at the end is dropped)."""
    step = timedelta(minutes=SLOT_MINUTES)
    moment, end = datetime.combine(day, starts, BEIJING), datetime.combine(day, ends, BEIJING)
    out = []
    while moment + step <= end:
        out.append((moment, moment + step))
        moment += step
    return out


def generate_slots(session: Session, first: date, last: date) -> int:
    """Create the slots of every session from `first` to `last` (inclusive)
    for every active window and the categories both offer; slots that exist
    already are left as they are (with their bookings). Returns how many
    were created."""
    if last < first:
        raise ValueError("the range ends before it starts")
    if (last - first).days >= MAX_GENERATE_DAYS:
        raise ValueError(f"generate at most {MAX_GENERATE_DAYS} days at a time")
    windows = session.scalars(select(HallWindow).where(HallWindow.active.is_(True)).order_by(HallWindow.code)).all()
    existing = set(session.execute(select(AppointmentSlot.window_id, AppointmentSlot.category,
                                          AppointmentSlot.starts_at)
                                   .where(AppointmentSlot.day >= first, AppointmentSlot.day <= last)))
    created = 0
    day = first
    while day <= last:
        for hall_session in sessions_on(session, day):
            for window in windows:
                for category in categories_for(window, hall_session):
                    for starts_at, ends_at in slot_times(day, hall_session.starts, hall_session.ends):
                        key = (window.id, category, starts_at)
                        if key in existing:
                            continue
                        existing.add(key)
                        session.add(AppointmentSlot(
                            window_id=window.id, session_id=hall_session.id, session_kind=hall_session.kind,
                            category=category, day=day, starts_at=starts_at, ends_at=ends_at,
                            capacity=window.slot_capacity, booked=0))
                        created += 1
        day += timedelta(days=1)
    session.flush()
    return created


def beijing_today(now: datetime) -> date:
    return now.astimezone(BEIJING).date()


def slot_label(slot) -> str:
    """"2025-03-12 09:30-10:00" in Beijing time, for messages."""
    starts, ends = slot.starts_at.astimezone(BEIJING), slot.ends_at.astimezone(BEIJING)
    return f"{starts:%Y-%m-%d %H:%M}-{ends:%H:%M}"
