"""The appointment sweeps: a reminder the day before (inbox and SMS, once
per appointment) and the no-show sweep (a booked slot that ended without a
check-in becomes a no-show, and may block online booking). Each appointment
changes in its own transaction through a conditional update, so a second
sweep or a second worker finds nothing left to do."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select, update

from models import Appointment, AppointmentSlot

from ..jobs import JobContext, job
from ..notifications import notify
from ..workcalendar import BEIJING
from .hall_calendar import beijing_today, slot_label
from .no_show_rule import blocked_until

BATCH = 500


def _due(db, where, order_by) -> list[int]:
    with db.transaction() as conn:
        query = (select(Appointment.id).join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
                 .where(*where).order_by(order_by).limit(BATCH))
        if not db.is_sqlite:
            query = query.with_for_update(skip_locked=True, of=Appointment)
        return list(conn.execute(query).scalars())


def send_reminders(db, now: datetime) -> int:
    """Remind every booked appointment of today or tomorrow (Beijing) that
    has not started and has not been reminded."""
    tomorrow = beijing_today(now) + timedelta(days=1)
    ids = _due(db, (Appointment.status == "booked", Appointment.reminded_at.is_(None),
                    AppointmentSlot.day <= tomorrow, AppointmentSlot.starts_at > now), Appointment.id)
    sent = 0
    for appointment_id in ids:
        with db.transaction() as conn:
            done = conn.execute(update(Appointment).where(
                Appointment.id == appointment_id, Appointment.status == "booked",
                Appointment.reminded_at.is_(None)).values(reminded_at=now)).rowcount
            if done != 1:
                continue  # another worker, or the appointment changed
            row = _appointment_row(conn, appointment_id)
            notify(conn, row.applicant_id, "appointment_reminder", "预约提醒",
                   f"您预约了 {slot_label(row)} 到江汉区政务服务中心办理，请携带身份证件准时到场；"
                   "不能前来请提前取消。", link=f"/my/appointments/{appointment_id}", channels=("sms",), now=now)
            sent += 1
    return sent


def mark_no_shows(db, now: datetime) -> int:
    """Booked appointments whose slot has ended become no-shows, dated at
    the slot's end; the applicant is told, with the block if one starts."""
    ids = _due(db, (Appointment.status == "booked", AppointmentSlot.ends_at <= now), Appointment.id)
    marked = 0
    for appointment_id in ids:
        with db.transaction() as conn:
            row = _appointment_row(conn, appointment_id)
            done = conn.execute(update(Appointment).where(
                Appointment.id == appointment_id, Appointment.status == "booked").values(
                status="no_show", no_show_at=row.ends_at, updated_at=now)).rowcount
            if done != 1:
                continue
            body = f"您预约的 {slot_label(row)} 未到场办理，已记为爽约。"
            until = blocked_until(conn, row.applicant_id, now)
            if until is not None:
                body += f"因多次爽约，{until.astimezone(BEIJING):%Y-%m-%d %H:%M} 前不能在网上预约，可到大厅现场取号办理。"
            notify(conn, row.applicant_id, "appointment_no_show", "预约爽约记录", body,
                   link=f"/my/appointments/{appointment_id}", channels=("sms",) if until else (), now=now)
            marked += 1
    return marked


def _appointment_row(conn, appointment_id: int):
    return conn.execute(select(Appointment.applicant_id, AppointmentSlot.starts_at, AppointmentSlot.ends_at)
                        .join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
                        .where(Appointment.id == appointment_id)).first()


@job("appointment_reminders")
def _reminders(ctx: JobContext) -> int:
    return send_reminders(ctx.db, ctx.now)


@job("appointment_no_shows")
def _no_shows(ctx: JobContext) -> int:
    return mark_no_shows(ctx.db, ctx.now)
