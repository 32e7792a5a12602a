"""Booking, cancelling and rescheduling appointments. Each is one
transaction. A place is taken with a conditional update
(`booked = booked + 1 WHERE booked < capacity`): the database row lock
serialises two bookings of the last place and the loser's update matches
no row, so capacity holds on PostgreSQL and SQLite alike."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import Appointment, AppointmentSlot, HallWindow, ProcessVersion, User, utcnow
from models.appointment import CHANNELS

from ..notifications import notify
from ..runtime.errors import NotFound
from .errors import BookingError
from .hall_calendar import beijing_today, slot_label
from .no_show_rule import blocked_until
from .rules import BOOKING_HORIZON_DAYS, ONLINE_CHANNELS

ACTIVE = ("booked",)


def bookable_scenarios(session: Session) -> list[ProcessVersion]:
    return list(session.scalars(select(ProcessVersion).where(
        ProcessVersion.active.is_(True), ProcessVersion.category != "shared_block")
        .order_by(ProcessVersion.category, ProcessVersion.scenario_key)))


def scenario_category(session: Session, scenario_key: str) -> str:
    category = session.scalar(select(ProcessVersion.category).where(
        ProcessVersion.scenario_key == scenario_key, ProcessVersion.active.is_(True),
        ProcessVersion.category != "shared_block"))
    if category is None:
        raise NotFound(f"no bookable scenario {scenario_key!r}")
    return category


def free_slots(session: Session, category: str, day, now: datetime) -> list[tuple[AppointmentSlot, HallWindow]]:
    """Slots of `category` on `day` that start later than now and have a place."""
    return list(session.execute(
        select(AppointmentSlot, HallWindow).join(HallWindow, HallWindow.id == AppointmentSlot.window_id)
        .where(AppointmentSlot.category == category, AppointmentSlot.day == day,
               AppointmentSlot.starts_at > now, AppointmentSlot.booked < AppointmentSlot.capacity,
               HallWindow.active.is_(True))
        .order_by(AppointmentSlot.starts_at, HallWindow.code)))


def book(db, applicant_id: int, slot_id: int, scenario_key: str, channel: str = "web",
         phone: str = "", now: datetime | None = None) -> int:
    """Book a place for the applicant; returns the appointment id."""
    now = now or utcnow()
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel {channel!r}")
    with db.write() as session:
        user = _lock_applicant(session, applicant_id)
        if channel in ONLINE_CHANNELS:
            _refuse_if_blocked(session, applicant_id, now)
        slot = _bookable_slot(session, slot_id, scenario_key, now)
        if session.scalar(select(Appointment.id).where(
                Appointment.applicant_id == applicant_id, Appointment.scenario_key == scenario_key,
                Appointment.status.in_(ACTIVE))):
            raise BookingError("already_booked", "the applicant already holds an appointment for this service; "
                                                 "reschedule it instead")
        _take_place(session, slot.id)
        appointment = Appointment(
            applicant_id=applicant_id, slot_id=slot.id, scenario_key=scenario_key, channel=channel,
            applicant_name=user.company_name or user.display_name, applicant_key=user.applicant_key,
            phone=phone or user.phone, status="booked", created_at=now, updated_at=now)
        session.add(appointment)
        session.flush()
        notify(session, applicant_id, "appointment_booked", "预约成功",
               f"您已预约 {slot_label(slot)} 到大厅办理，请携带身份证件准时到场。",
               link=f"/my/appointments/{appointment.id}", now=now)
        return appointment.id


def cancel(db, applicant_id: int, appointment_id: int, now: datetime | None = None) -> None:
    now = now or utcnow()
    with db.write() as session:
        appointment, slot = _own_appointment(session, applicant_id, appointment_id)
        if appointment.status != "booked" or slot.starts_at <= now:
            raise BookingError("not_changeable", "only a booked appointment that has not started can be cancelled")
        done = session.execute(update(Appointment).where(
            Appointment.id == appointment_id, Appointment.status == "booked").values(
            status="cancelled", cancelled_at=now, updated_at=now)).rowcount
        if done != 1:
            raise BookingError("not_changeable", "the appointment changed meanwhile")
        _free_place(session, slot.id)


def reschedule(db, applicant_id: int, appointment_id: int, new_slot_id: int, now: datetime | None = None) -> None:
    """Move a booked appointment to another slot: the new place is taken and
    the old one freed in one transaction, or nothing changes."""
    now = now or utcnow()
    with db.write() as session:
        _lock_applicant(session, applicant_id)
        appointment, old = _own_appointment(session, applicant_id, appointment_id)
        if appointment.status != "booked" or old.starts_at <= now:
            raise BookingError("not_changeable", "only a booked appointment that has not started can be moved")
        if appointment.channel in ONLINE_CHANNELS:
            _refuse_if_blocked(session, applicant_id, now)
        if new_slot_id == old.id:
            raise BookingError("same_slot", "that is the slot already booked")
        new = _bookable_slot(session, new_slot_id, appointment.scenario_key, now)
        _take_place(session, new.id)
        _free_place(session, old.id)
        done = session.execute(update(Appointment).where(
            Appointment.id == appointment_id, Appointment.status == "booked",
            Appointment.slot_id == old.id).values(slot_id=new.id, reminded_at=None, updated_at=now)).rowcount
        if done != 1:
            raise BookingError("not_changeable", "the appointment changed meanwhile")
        notify(session, applicant_id, "appointment_moved", "预约已改期",
               f"您的预约已由 {slot_label(old)} 改为 {slot_label(new)}。", link=f"/my/appointments/{appointment_id}",
               now=now)


def _lock_applicant(session: Session, applicant_id: int) -> User:
    """Lock the applicant's row (PostgreSQL; SQLite's write transaction is
    exclusive already) so one person's concurrent bookings run one by one
    and the 'one appointment per service' check holds."""
    locked = session.scalar(select(User.id).where(User.id == applicant_id, User.role == "applicant",
                                                  User.active.is_(True)).with_for_update())
    if locked is None:
        raise NotFound("no such applicant")
    return session.get(User, applicant_id)


def _refuse_if_blocked(session: Session, applicant_id: int, now: datetime) -> None:
    until = blocked_until(session, applicant_id, now)
    if until is not None:
        raise BookingError("blocked", f"online booking is blocked until {until.isoformat()} after repeated "
                                      "no-shows", until=until)


def _bookable_slot(session: Session, slot_id: int, scenario_key: str, now: datetime) -> AppointmentSlot:
    slot = session.get(AppointmentSlot, slot_id)
    if slot is None:
        raise NotFound(f"no slot {slot_id}")
    if slot.category != scenario_category(session, scenario_key):
        raise BookingError("wrong_category", "this slot is for another kind of service")
    if slot.starts_at <= now:
        raise BookingError("slot_past", "this slot has already started")
    if slot.day > beijing_today(now) + timedelta(days=BOOKING_HORIZON_DAYS):
        raise BookingError("too_far", f"bookings open {BOOKING_HORIZON_DAYS} days ahead")
    return slot


def _take_place(session: Session, slot_id: int) -> None:
    taken = session.execute(update(AppointmentSlot).where(
        AppointmentSlot.id == slot_id, AppointmentSlot.booked < AppointmentSlot.capacity)
        .values(booked=AppointmentSlot.booked + 1)).rowcount
    if taken != 1:
        raise BookingError("slot_full", "this slot has just been fully booked")


def _free_place(session: Session, slot_id: int) -> None:
    session.execute(update(AppointmentSlot).where(AppointmentSlot.id == slot_id, AppointmentSlot.booked > 0)
                    .values(booked=AppointmentSlot.booked - 1))


def _own_appointment(session: Session, applicant_id: int, appointment_id: int):
    row = session.execute(
        select(Appointment, AppointmentSlot).join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
        .where(Appointment.id == appointment_id, Appointment.applicant_id == applicant_id)
        .with_for_update(of=Appointment)).first()
    if row is None:
        raise NotFound(f"no appointment {appointment_id}")
    return row
