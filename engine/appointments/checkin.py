"""The window's side: the day's appointments, checking an applicant in, and
what the intake form is prefilled with for an appointment."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Appointment, AppointmentSlot, HallWindow, User, utcnow

from ..applicant_prefill import applicant_fields
from ..runtime.errors import Conflict, Forbidden, NotFound
from .errors import BookingError
from .hall_calendar import beijing_today

# A late arrival on the same day is still served: the sweep's no-show
# record is then taken back.
CHECKABLE = ("booked", "no_show")


def may_check_in(user: User) -> bool:
    return user.active and user.role == "clerk" and user.department_code == "CK"


def appointments_on(session: Session, day: date) -> list[tuple[Appointment, AppointmentSlot, HallWindow]]:
    return list(session.execute(
        select(Appointment, AppointmentSlot, HallWindow)
        .join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
        .join(HallWindow, HallWindow.id == AppointmentSlot.window_id)
        .where(AppointmentSlot.day == day, Appointment.status != "cancelled")
        .order_by(AppointmentSlot.starts_at, HallWindow.code, Appointment.id)))


def check_in(db, staff_id: int, appointment_id: int, now: datetime | None = None) -> Appointment:
    """Record that the applicant arrived (on the appointment's day only)."""
    now = now or utcnow()
    with db.write() as session:
        staff = session.get(User, staff_id)
        if staff is None or not may_check_in(staff):
            raise Forbidden("only the comprehensive window checks applicants in")
        row = session.execute(select(Appointment, AppointmentSlot)
                              .join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
                              .where(Appointment.id == appointment_id)).first()
        if row is None:
            raise NotFound(f"no appointment {appointment_id}")
        appointment, slot = row
        if appointment.status not in CHECKABLE:
            raise BookingError("not_checkable", f"the appointment is {appointment.status}")
        if slot.day != beijing_today(now):
            raise BookingError("not_today", "applicants are checked in on the day of their appointment")
        done = session.execute(update(Appointment).where(
            Appointment.id == appointment_id, Appointment.status.in_(CHECKABLE)).values(
            status="checked_in", checked_in_at=now, checked_in_by_id=staff_id, no_show_at=None,
            updated_at=now)).rowcount
        if done != 1:
            raise BookingError("not_checkable", "the appointment changed meanwhile")
        session.refresh(appointment)
        return appointment


class AppointmentOrigin:
    """engine/runtime/origins.py CaseOrigin: a case started at the window for
    a checked-in appointment is the applicant's, and the appointment links
    to it, in the case's own transaction (never started twice)."""

    def __init__(self, appointment_id: int, scenario_key: str):
        self.appointment_id, self.scenario_key = appointment_id, scenario_key

    def check(self, conn, user) -> int:
        row = conn.execute(select(Appointment.applicant_id, Appointment.status, Appointment.scenario_key,
                                  Appointment.case_id).where(Appointment.id == self.appointment_id)).first()
        if row is None or row.scenario_key != self.scenario_key:
            raise NotFound(f"no appointment {self.appointment_id} for {self.scenario_key!r}")
        if not may_check_in(user):
            raise Forbidden("only the comprehensive window accepts an appointment's application")
        if row.status != "checked_in" or row.case_id is not None:
            raise Conflict(f"appointment {self.appointment_id} is {row.status}"
                           f"{' and already has its case' if row.case_id else ''}")
        return row.applicant_id

    def link(self, conn, case_id: int, user, now: datetime) -> tuple[str, dict]:
        done = conn.execute(update(Appointment).where(Appointment.id == self.appointment_id,
                                                      Appointment.case_id.is_(None))
                            .values(case_id=case_id, updated_at=now)).rowcount
        if done != 1:
            raise Conflict(f"appointment {self.appointment_id} got its case meanwhile")
        return "appointment_linked", {"appointment_id": self.appointment_id}


def intake_prefill(appointment: Appointment, applicant: User, properties: dict) -> dict:
    """The applicant's fields, with the phone given at booking."""
    return applicant_fields(applicant, properties, appointment.phone)
