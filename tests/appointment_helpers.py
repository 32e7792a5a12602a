"""A hall with slots for the appointment tests: the demo windows and
calendar seeded from a fixed Monday, and extra applicants on demand."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select

from engine.seeding import seed_hall
from engine.workcalendar import BEIJING
from models import AppointmentSlot, HallWindow, User

MONDAY = date(2025, 3, 10)  # a statutory working day; Saturday 2025-03-15 is not


def at(day: date, hhmm: str) -> datetime:
    return datetime.combine(day, datetime.strptime(hhmm, "%H:%M").time(), BEIJING)


def seeded_hall(db, today: date = MONDAY) -> int:
    with db.write() as session:
        return seed_hall(session, today)


def slot_at(db, day: date, hhmm: str, category: str = "one_thing", window: str = "A01") -> AppointmentSlot:
    with db.read() as session:
        return session.scalar(select(AppointmentSlot).join(HallWindow).where(
            HallWindow.code == window, AppointmentSlot.category == category,
            AppointmentSlot.starts_at == at(day, hhmm)))


def set_capacity(db, slot_id: int, capacity: int) -> None:
    with db.write() as session:
        session.get(AppointmentSlot, slot_id).capacity = capacity


def user_id(db, username: str) -> int:
    with db.read() as session:
        return session.scalar(select(User.id).where(User.username == username))


def new_applicants(db, count: int, prefix: str = "walkin") -> list[int]:
    with db.write() as session:
        users = [User(username=f"{prefix}{i}", display_name=f"申请人{i}", role="applicant",
                      id_number=f"42010519900101{i:04d}"[:18], phone=f"1380000{i:04d}") for i in range(count)]
        session.add_all(users)
        session.flush()
        return [u.id for u in users]


def hall_from_today(db) -> None:
    """The demo hall with slots from today (the pages use the real clock)."""
    from engine.appointments.hall_calendar import beijing_today
    from models import utcnow

    with db.write() as session:
        seed_hall(session, beijing_today(utcnow()))


def slot_starting_soon(db, minutes: int = 10, category: str = "one_thing") -> int:
    """A slot of today (Beijing) that starts in a few minutes, whatever the
    hour the test runs: for booking and checking in on the same day."""
    from datetime import timedelta

    from engine.appointments.hall_calendar import beijing_today
    from models import utcnow

    now = utcnow()
    with db.write() as session:
        window = session.scalar(select(HallWindow).where(HallWindow.code == "A01"))
        slot = AppointmentSlot(window_id=window.id, session_kind="evening", category=category,
                               day=beijing_today(now), starts_at=now + timedelta(minutes=minutes),
                               ends_at=now + timedelta(minutes=minutes + 30), capacity=2, booked=0)
        session.add(slot)
        session.flush()
        return slot.id


def first_free_slot(db, category: str = "one_thing", after_days: int = 1) -> int:
    """A free slot at least `after_days` Beijing days ahead."""
    from datetime import timedelta

    from engine.appointments.hall_calendar import beijing_today
    from models import utcnow

    with db.read() as session:
        return session.scalar(select(AppointmentSlot.id).where(
            AppointmentSlot.category == category,
            AppointmentSlot.day >= beijing_today(utcnow()) + timedelta(days=after_days),
            AppointmentSlot.booked < AppointmentSlot.capacity).order_by(AppointmentSlot.starts_at).limit(1))
