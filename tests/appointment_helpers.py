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
