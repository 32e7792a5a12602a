"""The day's appointments at the window, check-in, and the hall calendar."""
from __future__ import annotations

from datetime import date, time, timedelta
from functools import wraps

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from engine.appointments.checkin import CHECKABLE, appointments_on, check_in as engine_check_in, may_check_in
from engine.appointments.errors import BookingError
from engine.appointments.hall_calendar import beijing_today, generate_slots
from engine.runtime.errors import Forbidden, NotFound
from models import AppointmentSlot, HallSession, HallWindow, ProcessVersion, utcnow

from .. import get_db
from ..access import roles_required
from ..appointments.messages import booking_message
from . import bp
from .forms import ActionForm, GenerateForm, SessionForm

OVERVIEW_DAYS = 14


def window_clerk_required(view):
    """Clerks of the comprehensive window (CK) only."""
    @wraps(view)
    @roles_required("clerk")
    def wrapper(*args, **kwargs):
        if not may_check_in(current_user):
            abort(403)
        return view(*args, **kwargs)

    return wrapper


@bp.get("/appointments")
@window_clerk_required
def appointments():
    today = beijing_today(utcnow())
    try:
        day = date.fromisoformat(request.args.get("day", ""))
    except ValueError:
        day = today
    with get_db().read() as session:
        rows = appointments_on(session, day)
        names = {k: (zh, en) for k, zh, en in session.execute(
            select(ProcessVersion.scenario_key, ProcessVersion.name_zh, ProcessVersion.name_en)
            .where(ProcessVersion.active.is_(True)))}
    return render_template("hall/appointments.html", rows=rows, day=day, today=today, names=names,
                           checkable=CHECKABLE, form=ActionForm())


@bp.post("/appointments/<int:appointment_id>/check-in")
@window_clerk_required
def check_in(appointment_id: int):
    if not ActionForm().validate():
        abort(400)
    try:
        appointment = engine_check_in(get_db(), current_user.id, appointment_id)
    except NotFound:
        abort(404)
    except Forbidden:
        abort(403)
    except BookingError as exc:
        flash(booking_message(exc), "error")
        return redirect(url_for(".appointments"))
    flash(_("%(name)s 已签到。", name=appointment.applicant_name), "info")
    return redirect(url_for("window.start", scenario=appointment.scenario_key, appointment=appointment.id))


@bp.get("/calendar")
@roles_required("supervisor", "admin")
def calendar():
    return _calendar_page(SessionForm(), GenerateForm())


@bp.post("/calendar/sessions")
@roles_required("supervisor", "admin")
def add_session():
    form = SessionForm()
    if not form.validate():
        return _calendar_page(form, GenerateForm(), 422)
    with get_db().write() as session:
        session.add(HallSession(
            kind=form.kind.data, weekday=int(form.weekday.data) if form.weekday.data else None,
            on_date=form.on_date.data, starts=form.starts.data or time(0), ends=form.ends.data or time(0),
            categories=list(form.categories.data or []), closed=bool(form.closed.data)))
    flash(_("已保存。已生成的时段不变；请为受影响的日期重新生成时段。"), "info")
    return redirect(url_for(".calendar"))


@bp.post("/calendar/sessions/<int:session_id>/toggle")
@roles_required("supervisor", "admin")
def toggle_session(session_id: int):
    if not ActionForm().validate():
        abort(400)
    with get_db().write() as session:
        row = session.get(HallSession, session_id)
        if row is None:
            abort(404)
        row.active = not row.active
    return redirect(url_for(".calendar"))


@bp.post("/calendar/generate")
@roles_required("supervisor", "admin")
def generate():
    form = GenerateForm()
    if not form.validate():
        return _calendar_page(SessionForm(), form, 422)
    try:
        with get_db().write() as session:
            created = generate_slots(session, form.first.data, form.last.data)
    except ValueError:
        form.last.errors.append(_("日期范围无效：结束日期不能早于开始日期，且一次最多 92 天。"))
        return _calendar_page(SessionForm(), form, 422)
    flash(_("已生成 %(n)s 个预约时段。", n=created), "info")
    return redirect(url_for(".calendar"))


def _calendar_page(session_form, generate_form, status: int = 200):
    today = beijing_today(utcnow())
    with get_db().read() as session:
        sessions = session.scalars(select(HallSession).order_by(
            HallSession.on_date.is_not(None), HallSession.on_date, HallSession.weekday, HallSession.starts)).all()
        windows = session.scalars(select(HallWindow).order_by(HallWindow.code)).all()
        overview = session.execute(
            select(AppointmentSlot.day, AppointmentSlot.session_kind, func.count(), func.sum(AppointmentSlot.capacity),
                   func.sum(AppointmentSlot.booked))
            .where(AppointmentSlot.day >= today, AppointmentSlot.day < today + timedelta(days=OVERVIEW_DAYS))
            .group_by(AppointmentSlot.day, AppointmentSlot.session_kind)
            .order_by(AppointmentSlot.day, AppointmentSlot.session_kind)).all()
    if not generate_form.first.data and not generate_form.errors:
        generate_form.first.data, generate_form.last.data = today, today + timedelta(days=OVERVIEW_DAYS - 1)
    return render_template("hall/calendar.html", sessions=sessions, windows=windows, overview=overview,
                           session_form=session_form, generate_form=generate_form, action=ActionForm()), status
