"""The appointment pages: an applicant books, moves and cancels their own
appointments only; the window checks in and the intake opens prefilled,
and the case started links back to the appointment; the hall calendar is
for supervisors and admins. Every route refuses outsiders."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.appointments.booking import book
from engine.appointments.hall_calendar import beijing_today
from engine.demo_data import DEMO_PASSWORD
from engine.jobs import sweep
from models import Appointment, AppointmentSlot, Case, CaseEvent, HallSession, User, utcnow
from tests.appointment_helpers import first_free_slot, hall_from_today, slot_starting_soon, user_id
from tests.web_helpers import as_form, signed_in as _signed_in, token_of
from web.extensions import limiter


def signed_in(app, username):
    limiter.reset()  # these tests sign in more often than the sign-in limit allows a minute
    return _signed_in(app, username)


@pytest.fixture
def hall(db):
    hall_from_today(db)
    return db


@pytest.fixture
def booked(hall):
    """The demo applicant's appointment for a restaurant, some day ahead."""
    return book(hall, user_id(hall, "applicant"), first_free_slot(hall), "restaurant")


def _token(client, url="/my/appointments"):
    return token_of(client.get(url).get_data(as_text=True))


def _other_clerk(db) -> None:
    """A clerk outside the comprehensive window (department SJ)."""
    with db.write() as session:
        session.add(User(username="clerk_sj", display_name="市场监管 窗口", role="clerk", department_code="SJ",
                         password_hash=generate_password_hash(DEMO_PASSWORD)))


def test_an_applicant_books_moves_and_cancels_through_the_pages(app, hall):
    client = signed_in(app, "applicant")
    slot = first_free_slot(hall)
    with hall.read() as session:
        day = session.get(AppointmentSlot, slot).day
    page = client.get(f"/my/appointments/new?scenario=restaurant&day={day.isoformat()}").get_data(as_text=True)
    assert f'name="slot_id" value="{slot}"' in page and "开办餐馆" in page
    response = client.post("/my/appointments", data={"slot_id": slot, "scenario": "restaurant",
                                                     "csrf_token": token_of(page)})
    assert response.status_code == 302
    appointment = int(response.location.rsplit("/", 1)[1])
    shown = client.get(response.location).get_data(as_text=True)
    assert "已预约" in shown and "预约成功" in shown
    assert "开办餐馆" in client.get("/my/appointments").get_data(as_text=True)
    # The same service again is refused with a reason, nothing booked twice.
    again = client.post("/my/appointments", data={"slot_id": slot, "scenario": "restaurant",
                                                  "csrf_token": token_of(page)}, follow_redirects=True)
    assert "如需换时间，请改约" in again.get_data(as_text=True)
    # Move it to the next free time.
    move_page = client.get(f"/my/appointments/{appointment}/reschedule").get_data(as_text=True)
    with hall.read() as session:
        other = session.scalar(select(AppointmentSlot.id).where(
            AppointmentSlot.day == day, AppointmentSlot.category == "one_thing",
            AppointmentSlot.id != slot).order_by(AppointmentSlot.starts_at.desc()).limit(1))
    moved = client.post(f"/my/appointments/{appointment}/reschedule",
                        data={"slot_id": other, "csrf_token": token_of(move_page)})
    assert moved.status_code == 302
    with hall.read() as session:
        assert session.get(Appointment, appointment).slot_id == other
        assert session.get(AppointmentSlot, slot).booked == 0
    client.post(f"/my/appointments/{appointment}/cancel", data={"csrf_token": token_of(move_page)})
    with hall.read() as session:
        assert session.get(Appointment, appointment).status == "cancelled"
        assert session.get(AppointmentSlot, other).booked == 0


def test_a_blocked_applicant_is_told_until_when(app, hall):
    me = user_id(hall, "applicant")
    now = utcnow()
    with hall.write() as session:
        slot_id = first_free_slot(hall)
        for i in range(3):
            session.add(Appointment(applicant_id=me, slot_id=slot_id, scenario_key="restaurant", status="no_show",
                                    no_show_at=now - timedelta(days=3 - i)))
    client = signed_in(app, "applicant")
    until = (now - timedelta(days=1) + timedelta(days=30))
    page = client.get("/my/appointments/new").get_data(as_text=True)
    assert "前不能在网上预约" in page
    from engine.workcalendar import BEIJING
    assert until.astimezone(BEIJING).strftime("%Y-%m-%d") in page
    refused = client.post("/my/appointments", data={"slot_id": slot_id, "scenario": "restaurant",
                                                     "csrf_token": _token(client)}, follow_redirects=True)
    assert "前不能在网上预约" in refused.get_data(as_text=True)


def test_check_in_opens_the_intake_prefilled_and_the_case_links_back(app, hall, intake):
    me = user_id(hall, "applicant")
    appointment = book(hall, me, slot_starting_soon(hall), "restaurant")
    clerk = signed_in(app, "clerk")
    today = clerk.get("/hall/appointments").get_data(as_text=True)
    assert "张三" in today and "420105198001011230" in today and "签到并受理" in today
    response = clerk.post(f"/hall/appointments/{appointment}/check-in", data={"csrf_token": token_of(today)})
    assert response.location == f"/window/start/restaurant?appointment={appointment}"
    form = clerk.get(response.location).get_data(as_text=True)
    assert 'value="张三"' in form and 'value="420105198001011230"' in form and 'value="13800138000"' in form
    assert "预约签到" in form
    data = as_form({**intake, "legal_rep_name": "张三", "legal_rep_id_no": "420105198001011230"})
    for key in re.findall(r'name="material\.([^"]+)"', form):
        data.add(f"material.{key}", "received")
    data.add("csrf_token", token_of(form))
    started = clerk.post(response.location, data=data)
    assert started.status_code == 302, started.get_data(as_text=True)[:3000]
    with hall.read() as session:
        case = session.scalar(select(Case).order_by(Case.id.desc()).limit(1))
        first = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                       CaseEvent.kind == "appointment_linked"))
        linked = session.get(Appointment, appointment)
    assert first.payload["appointment_id"] == appointment
    assert case.applicant_id == me and linked.case_id == case.id
    # The applicant sees the case at home; the window's list links to it.
    assert case.reference in signed_in(app, "applicant").get("/my").get_data(as_text=True)
    assert f"/cases/{case.id}" in clerk.get("/hall/appointments").get_data(as_text=True)
    assert clerk.get(response.location).status_code == 302  # not started twice


def test_the_window_sees_another_day_and_cannot_check_in_then(app, hall, booked):
    with hall.read() as session:
        day = session.scalar(select(AppointmentSlot.day).join(Appointment).where(Appointment.id == booked))
    clerk = signed_in(app, "clerk")
    page = clerk.get(f"/hall/appointments?day={day.isoformat()}").get_data(as_text=True)
    assert "张三" in page and "签到并受理" not in page
    refused = clerk.post(f"/hall/appointments/{booked}/check-in", data={"csrf_token": token_of(page)},
                         follow_redirects=True)
    assert "只能在预约当天签到" in refused.get_data(as_text=True)
    assert clerk.get("/hall/appointments?day=not-a-date").status_code == 200


def test_the_supervisor_edits_the_hall_calendar_and_generates_slots(app, hall):
    client = signed_in(app, "supervisor")
    page = client.get("/hall/calendar").get_data(as_text=True)
    assert "午间不间断" in page and "周末服务" in page and "A01" in page
    sunday = beijing_today(utcnow()) + timedelta(days=(6 - beijing_today(utcnow()).weekday()) % 7 or 7)
    added = client.post("/hall/calendar/sessions", data={
        "kind": "weekend", "weekday": "", "on_date": sunday.isoformat(), "starts": "09:00", "ends": "11:00",
        "categories": "one_thing", "csrf_token": token_of(page)})
    assert added.status_code == 302
    bad = client.post("/hall/calendar/sessions", data={
        "kind": "weekend", "weekday": "6", "on_date": sunday.isoformat(), "starts": "11:00", "ends": "09:00",
        "csrf_token": token_of(page)})
    assert bad.status_code == 422 and "二选一" in bad.get_data(as_text=True)
    backwards = client.post("/hall/calendar/generate", data={
        "first": sunday.isoformat(), "last": (sunday - timedelta(days=1)).isoformat(), "csrf_token": token_of(page)})
    assert backwards.status_code == 422
    generated = client.post("/hall/calendar/generate", data={
        "first": sunday.isoformat(), "last": sunday.isoformat(), "csrf_token": token_of(page)}, follow_redirects=True)
    assert "已生成 12 个预约时段" in generated.get_data(as_text=True)  # 3 windows x 4 half-hours
    with hall.read() as session:
        session_id = session.scalar(select(HallSession.id).where(HallSession.on_date == sunday))
    client.post(f"/hall/calendar/sessions/{session_id}/toggle", data={"csrf_token": token_of(page)})
    with hall.read() as session:
        assert session.get(HallSession, session_id).active is False


def _routes(appointment: int) -> dict[str, list[tuple[str, str]]]:
    return {
        "applicant": [("GET", "/my/appointments"), ("GET", "/my/appointments/new"), ("POST", "/my/appointments")],
        "own": [("GET", f"/my/appointments/{appointment}"), ("POST", f"/my/appointments/{appointment}/cancel"),
                ("GET", f"/my/appointments/{appointment}/reschedule"),
                ("POST", f"/my/appointments/{appointment}/reschedule")],
        "window": [("GET", "/hall/appointments"), ("POST", f"/hall/appointments/{appointment}/check-in")],
        "oversight": [("GET", "/hall/calendar"), ("POST", "/hall/calendar/sessions"),
                      ("POST", "/hall/calendar/sessions/1/toggle"), ("POST", "/hall/calendar/generate")],
    }


def _call(client, method, url):
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": _token(client, "/")})


def test_every_route_refuses_outsiders(app, hall, booked):
    _other_clerk(hall)
    routes = _routes(booked)
    anonymous = app.test_client()
    for method, url in sum(routes.values(), []):
        response = _call(anonymous, method, url) if method == "GET" else anonymous.post(url)
        assert response.status_code in (302, 400), (method, url)
        if response.status_code == 302:
            assert "/auth/login" in response.location, (method, url)
    refused = {
        "applicant": ("clerk", "supervisor", "rev_sj", "admin"),
        "own": ("clerk", "supervisor"),
        "window": ("applicant", "rev_sj", "supervisor", "admin", "clerk_sj"),
        "oversight": ("applicant", "clerk", "rev_sj", "designer"),
    }
    for group, users in refused.items():
        for username in users:
            client = signed_in(app, username)
            for method, url in routes[group]:
                assert _call(client, method, url).status_code == 403, (username, method, url)
    # Another applicant: someone else's appointment does not exist for them.
    company = signed_in(app, "company")
    for method, url in routes["own"]:
        assert _call(company, method, url).status_code == 404, (method, url)
    with hall.read() as session:
        assert session.get(Appointment, booked).status == "booked"  # untouched


def test_the_intake_with_an_appointment_not_checked_in_is_a_404(app, hall, booked):
    clerk = signed_in(app, "clerk")
    assert clerk.get(f"/window/start/restaurant?appointment={booked}").status_code == 404
    assert clerk.get("/window/start/restaurant?appointment=x").status_code == 404
    assert signed_in(app, "applicant").get(f"/window/start/restaurant?appointment={booked}").status_code == 403


def test_reminder_and_no_show_links_open_the_applicant_s_page(app, hall):
    me = user_id(hall, "applicant")
    appointment = book(hall, me, slot_starting_soon(hall), "gym")
    done = sweep(hall, now=utcnow() + timedelta(hours=2), only=("appointment_reminders", "appointment_no_shows"))
    assert done == {"appointment_no_shows": 1, "appointment_reminders": 0}
    client = signed_in(app, "applicant")
    assert "爽约" in client.get(f"/my/appointments/{appointment}").get_data(as_text=True)
