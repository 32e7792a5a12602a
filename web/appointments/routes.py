"""The applicant's appointment pages. Thin: the engine books and checks."""
from __future__ import annotations

from datetime import date, timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine.appointments import booking
from engine.appointments.errors import BookingError
from engine.appointments.hall_calendar import beijing_today
from engine.appointments.no_show_rule import blocked_until
from engine.appointments.rules import BOOKING_HORIZON_DAYS
from engine.runtime.errors import NotFound
from models import Appointment, AppointmentSlot, HallWindow, ProcessVersion, utcnow

from .. import get_db
from ..access import roles_required
from . import bp
from .forms import ActionForm, SlotForm
from .messages import blocked_message, booking_message


@bp.get("")
@roles_required("applicant")
def index():
    now = utcnow()
    with get_db().read() as session:
        rows = session.execute(_own().order_by(AppointmentSlot.starts_at.desc()).limit(200)).all()
        until = blocked_until(session, current_user.id, now)
        names = _scenario_names(session)
    return render_template("appointments/index.html", rows=rows, names=names, now=now,
                           blocked=blocked_message(until) if until else "")


@bp.get("/new")
@roles_required("applicant")
def new():
    now = utcnow()
    with get_db().read() as session:
        scenarios = booking.bookable_scenarios(session)
        until = blocked_until(session, current_user.id, now)
        scenario = request.args.get("scenario", "")
        chosen = next((v for v in scenarios if v.scenario_key == scenario), None)
        day = _day_arg(now)
        times = _times(session, chosen.category, day, now) if chosen else []
    return render_template("appointments/new.html", scenarios=scenarios, chosen=chosen, day=day, times=times,
                           days=_bookable_days(now), form=SlotForm(scenario=scenario),
                           blocked=blocked_message(until) if until else "")


@bp.post("")
@roles_required("applicant")
def book():
    form = SlotForm()
    if not form.validate():
        abort(400)
    try:
        appointment_id = booking.book(get_db(), current_user.id, form.slot_id.data, form.scenario.data,
                                      channel="web")
    except NotFound:
        abort(404)
    except BookingError as exc:
        flash(booking_message(exc), "error")
        return redirect(url_for(".new", scenario=form.scenario.data, day=request.args.get("day", "")))
    flash(_("预约成功。请在预约时间携带身份证件到大厅办理，前一天会短信提醒您。"), "info")
    return redirect(url_for(".show", appointment_id=appointment_id))


@bp.get("/<int:appointment_id>")
@roles_required("applicant")
def show(appointment_id: int):
    now = utcnow()
    with get_db().read() as session:
        appointment, slot, window = _load_own(session, appointment_id)
        names = _scenario_names(session)
    changeable = appointment.status == "booked" and slot.starts_at > now
    return render_template("appointments/show.html", appointment=appointment, slot=slot, window=window,
                           names=names, changeable=changeable, form=ActionForm())


@bp.post("/<int:appointment_id>/cancel")
@roles_required("applicant")
def cancel(appointment_id: int):
    if not ActionForm().validate():
        abort(400)
    try:
        booking.cancel(get_db(), current_user.id, appointment_id)
    except NotFound:
        abort(404)
    except BookingError as exc:
        flash(booking_message(exc), "error")
    else:
        flash(_("预约已取消。"), "info")
    return redirect(url_for(".show", appointment_id=appointment_id))


@bp.route("/<int:appointment_id>/reschedule", methods=["GET", "POST"])
@roles_required("applicant")
def reschedule(appointment_id: int):
    now = utcnow()
    form = SlotForm()
    with get_db().read() as session:
        _load_own(session, appointment_id)  # another's appointment is a 404, whatever is posted
    if request.method == "POST":
        if not form.validate():
            abort(400)
        try:
            booking.reschedule(get_db(), current_user.id, appointment_id, form.slot_id.data)
        except NotFound:
            abort(404)
        except BookingError as exc:
            flash(booking_message(exc), "error")
        else:
            flash(_("已改约到新的时间。"), "info")
            return redirect(url_for(".show", appointment_id=appointment_id))
    with get_db().read() as session:
        appointment, slot, window = _load_own(session, appointment_id)
        day = _day_arg(now, slot.day)
        times = [t for t in _times(session, slot.category, day, now) if t["slot"].id != slot.id]
        names = _scenario_names(session)
    return render_template("appointments/reschedule.html", appointment=appointment, slot=slot, window=window,
                           names=names, day=day, times=times, days=_bookable_days(now), form=form)


def _own():
    return (select(Appointment, AppointmentSlot, HallWindow)
            .join(AppointmentSlot, AppointmentSlot.id == Appointment.slot_id)
            .join(HallWindow, HallWindow.id == AppointmentSlot.window_id)
            .where(Appointment.applicant_id == current_user.id))


def _load_own(session, appointment_id: int):
    row = session.execute(_own().where(Appointment.id == appointment_id)).first()
    if row is None:
        abort(404)
    return row


def _scenario_names(session) -> dict[str, tuple[str, str]]:
    rows = session.execute(select(ProcessVersion.scenario_key, ProcessVersion.name_zh, ProcessVersion.name_en)
                           .where(ProcessVersion.active.is_(True)))
    return {key: (zh, en) for key, zh, en in rows}


def _bookable_days(now) -> list[date]:
    today = beijing_today(now)
    return [today + timedelta(days=i) for i in range(BOOKING_HORIZON_DAYS + 1)]


def _day_arg(now, default: date | None = None) -> date:
    try:
        return date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        return default or beijing_today(now)


def _times(session, category: str, day: date, now) -> list[dict]:
    """Free places by time of day: every window's places added up, and the
    slot to book being the window with the most places left."""
    by_time: dict = {}
    for slot, window in booking.free_slots(session, category, day, now):
        entry = by_time.setdefault(slot.starts_at, {"slot": slot, "window": window, "free": 0})
        entry["free"] += slot.capacity - slot.booked
        if slot.capacity - slot.booked > entry["slot"].capacity - entry["slot"].booked:
            entry["slot"], entry["window"] = slot, window
    return [by_time[k] for k in sorted(by_time)]
