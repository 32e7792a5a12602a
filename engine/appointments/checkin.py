"""The window's side: the day's appointments, checking an applicant in, and
what the intake form is prefilled with for an appointment."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Appointment, AppointmentSlot, HallWindow, User, utcnow

from ..runtime.errors import Forbidden, NotFound
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


def link_case(db, appointment_id: int, case_id: int) -> None:
    """Note on the appointment the case started from it (the case's first
    event names the appointment as well)."""
    with db.write() as session:
        session.execute(update(Appointment).where(Appointment.id == appointment_id, Appointment.case_id.is_(None))
                        .values(case_id=case_id))


def intake_prefill(appointment: Appointment, applicant: User, properties: dict) -> dict:
    """The intake fields an appointment fills in, among those the form has:
    the person's name, ID card number and phone, and a company's USCC and
    name. A person is the applicant (or, on company forms, the legal
    representative-to-be); a company's agent is the agent who comes."""
    values: dict = {}
    # A company agent's display name reads "李四（某公司 经办人）": the person is before the bracket.
    person = {"name": applicant.display_name.split("（")[0], "id_no": applicant.id_number,
              "mobile": appointment.phone or applicant.phone}
    roles = ("agent",) if applicant.is_company else ("applicant", "legal_rep", "agent")
    role = next((r for r in roles if f"{r}_name" in properties), None)
    for field, value in person.items():
        key = f"{role}_{field}"
        if role and key in properties and value:
            values[key] = value
    if role == "agent" and "has_agent" in properties:
        values["has_agent"] = True
    if applicant.is_company:
        for key, value in (("uscc", applicant.uscc), ("company_name", applicant.company_name)):
            if key in properties and value:
                values[key] = value
        if "has_company" in properties:
            values["has_company"] = True
    return values
