"""Appointments on the hall calendar: the calendar is the hall's own (a
Saturday session on a non-working day), capacity holds, also when two
people take the last place at once, reschedule and cancel move places
atomically, reminders go once, and the no-show rule blocks online booking."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from engine.appointments.booking import book, cancel, free_slots, reschedule
from engine.appointments.checkin import appointments_on, check_in, intake_prefill
from engine.appointments.errors import BookingError
from engine.appointments.hall_calendar import generate_slots, sessions_on
from engine.appointments.no_show_rule import block_end
from engine.appointments.rules import BLOCK_DAYS, NO_SHOW_LIMIT, NO_SHOW_WINDOW_DAYS
from engine.jobs import sweep
from engine.messaging import MemoryMessenger
from engine.runtime.errors import Forbidden, NotFound
from engine.workcalendar import is_working_day
from models import Appointment, AppointmentSlot, HallSession, Notification, User
from tests.appointment_helpers import MONDAY, at, new_applicants, seeded_hall, set_capacity, slot_at, user_id
from tests.test_concurrency import run_together

SATURDAY = MONDAY + timedelta(days=5)
BEFORE_OPENING = at(MONDAY, "08:00")


@pytest.fixture
def hall(db):
    assert seeded_hall(db) > 0
    return db


def test_a_saturday_session_is_open_on_a_non_working_day(hall):
    assert not is_working_day(SATURDAY)
    with hall.read() as session:
        kinds = {s.kind for s in sessions_on(session, SATURDAY)}
        saturday_slots = session.scalars(select(AppointmentSlot).where(AppointmentSlot.day == SATURDAY)).all()
        sunday_slots = session.scalar(select(func.count()).select_from(AppointmentSlot)
                                      .where(AppointmentSlot.day == SATURDAY + timedelta(days=1)))
    assert kinds == {"weekend"}
    assert saturday_slots and {s.session_kind for s in saturday_slots} == {"weekend"}
    assert {s.category for s in saturday_slots} == {"one_thing"}  # flexible hours: everyday services only
    assert sunday_slots == 0


def test_lunch_and_evening_sessions_offer_only_their_categories(hall):
    lunch = slot_at(hall, MONDAY, "12:00")
    evening = slot_at(hall, MONDAY, "19:30")
    assert lunch.session_kind == "lunch" and evening.session_kind == "evening"
    assert slot_at(hall, MONDAY, "12:00", "construction", "B01") is None
    assert slot_at(hall, MONDAY, "09:00", "construction", "B01").session_kind == "regular"
    assert slot_at(hall, MONDAY, "20:00") is None  # the evening ends at 20:00


def test_seeding_is_idempotent_and_closes_the_hall_on_weekday_holidays(db):
    with db.write() as session:
        first = generate_slots(session, MONDAY, MONDAY)
    assert first == 0  # no windows or sessions yet
    assert seeded_hall(db, date(2025, 4, 28)) > 0
    assert seeded_hall(db, date(2025, 4, 28)) == 0
    with db.read() as session:
        may_day = session.scalar(select(func.count()).select_from(AppointmentSlot)
                                 .where(AppointmentSlot.day == date(2025, 5, 1)))
        closures = session.scalars(select(HallSession.on_date).where(HallSession.closed.is_(True))).all()
    assert may_day == 0 and date(2025, 5, 1) in closures


def test_generating_refuses_a_backwards_or_huge_range(db):
    with db.write() as session:
        with pytest.raises(ValueError):
            generate_slots(session, MONDAY, MONDAY - timedelta(days=1))
        with pytest.raises(ValueError):
            generate_slots(session, MONDAY, MONDAY + timedelta(days=400))


def test_capacity_is_never_exceeded(hall):
    slot = slot_at(hall, MONDAY, "09:00")
    people = new_applicants(hall, 3)
    book(hall, people[0], slot.id, "restaurant", now=BEFORE_OPENING)
    book(hall, people[1], slot.id, "restaurant", now=BEFORE_OPENING)
    with pytest.raises(BookingError) as full:
        book(hall, people[2], slot.id, "restaurant", now=BEFORE_OPENING)
    assert full.value.code == "slot_full"
    with hall.read() as session:
        assert session.get(AppointmentSlot, slot.id).booked == 2
        assert slot.id not in {s.id for s, _ in free_slots(session, "one_thing", MONDAY, BEFORE_OPENING)}


@pytest.mark.parametrize("round_", range(3))
def test_of_several_people_taking_the_last_place_at_once_exactly_one_wins(hall, round_):
    slot = slot_at(hall, MONDAY, "10:00")
    set_capacity(hall, slot.id, 1)
    people = new_applicants(hall, 6, prefix=f"race{round_}_")
    results, errors = run_together(
        [lambda p=p: book(hall, p, slot.id, "restaurant", now=BEFORE_OPENING) for p in people])
    assert sum(r is not None for r in results) == 1
    assert all(isinstance(e, BookingError) and e.code == "slot_full" for e in errors if e is not None)
    with hall.read() as session:
        assert session.get(AppointmentSlot, slot.id).booked == 1
        assert session.scalar(select(func.count()).select_from(Appointment)
                              .where(Appointment.slot_id == slot.id)) == 1


def test_booking_checks_the_slot_the_service_and_one_booking_per_service(hall):
    me = user_id(hall, "applicant")
    with pytest.raises(BookingError) as past:
        book(hall, me, slot_at(hall, MONDAY, "09:00").id, "restaurant", now=at(MONDAY, "09:00"))
    assert past.value.code == "slot_past"
    with pytest.raises(BookingError) as wrong:
        book(hall, me, slot_at(hall, MONDAY, "09:00", "construction", "B01").id, "restaurant", now=BEFORE_OPENING)
    assert wrong.value.code == "wrong_category"
    with pytest.raises(NotFound):
        book(hall, me, slot_at(hall, MONDAY, "09:00").id, "no_such_scenario", now=BEFORE_OPENING)
    with pytest.raises(NotFound):
        book(hall, user_id(hall, "clerk"), slot_at(hall, MONDAY, "09:00").id, "restaurant", now=BEFORE_OPENING)
    book(hall, me, slot_at(hall, MONDAY, "09:00").id, "restaurant", now=BEFORE_OPENING)
    with pytest.raises(BookingError) as twice:
        book(hall, me, slot_at(hall, MONDAY, "09:30").id, "restaurant", now=BEFORE_OPENING)
    assert twice.value.code == "already_booked"
    book(hall, me, slot_at(hall, MONDAY, "09:30").id, "gym", now=BEFORE_OPENING)  # another service is fine


def test_reschedule_takes_the_new_place_and_frees_the_old_in_one_step(hall):
    me, other = user_id(hall, "applicant"), new_applicants(hall, 1)[0]
    old, new, full = (slot_at(hall, MONDAY, t) for t in ("09:00", "14:00", "15:00"))
    appointment = book(hall, me, old.id, "restaurant", now=BEFORE_OPENING)
    set_capacity(hall, full.id, 1)
    book(hall, other, full.id, "restaurant", now=BEFORE_OPENING)
    with pytest.raises(BookingError) as refused:
        reschedule(hall, me, appointment, full.id, now=BEFORE_OPENING)
    assert refused.value.code == "slot_full"
    with hall.read() as session:  # nothing moved
        assert session.get(Appointment, appointment).slot_id == old.id
        assert session.get(AppointmentSlot, old.id).booked == 1
    reschedule(hall, me, appointment, new.id, now=BEFORE_OPENING)
    with hall.read() as session:
        assert session.get(Appointment, appointment).slot_id == new.id
        assert session.get(AppointmentSlot, old.id).booked == 0
        assert session.get(AppointmentSlot, new.id).booked == 1
    with pytest.raises(NotFound):  # someone else's appointment
        reschedule(hall, other, appointment, old.id, now=BEFORE_OPENING)


def test_cancel_frees_the_place_once_and_only_for_the_owner(hall):
    me, other = user_id(hall, "applicant"), user_id(hall, "company")
    slot = slot_at(hall, MONDAY, "09:00")
    appointment = book(hall, me, slot.id, "restaurant", now=BEFORE_OPENING)
    with pytest.raises(NotFound):
        cancel(hall, other, appointment, now=BEFORE_OPENING)
    cancel(hall, me, appointment, now=BEFORE_OPENING)
    with pytest.raises(BookingError):
        cancel(hall, me, appointment, now=BEFORE_OPENING)
    with hall.read() as session:
        assert session.get(AppointmentSlot, slot.id).booked == 0
        assert session.get(Appointment, appointment).status == "cancelled"
    book(hall, me, slot.id, "restaurant", now=BEFORE_OPENING)  # may book that service again


def _notes(db, user, kind):
    with db.read() as session:
        return session.scalars(select(Notification).where(Notification.user_id == user,
                                                          Notification.kind == kind)).all()


def test_the_reminder_goes_the_day_before_and_only_once(hall):
    me = user_id(hall, "applicant")
    appointment = book(hall, me, slot_at(hall, MONDAY + timedelta(days=2), "09:00").id, "restaurant",
                       now=BEFORE_OPENING)
    assert sweep(hall, now=at(MONDAY, "20:00"), only=("appointment_reminders",)) == {"appointment_reminders": 0}
    the_day_before = at(MONDAY + timedelta(days=1), "08:00")
    assert sweep(hall, now=the_day_before, only=("appointment_reminders",))["appointment_reminders"] == 1
    assert sweep(hall, now=the_day_before + timedelta(hours=1), only=("appointment_reminders",)) == {
        "appointment_reminders": 0}
    notes = _notes(hall, me, "appointment_reminder")
    assert len(notes) == 1 and notes[0].channels == "sms" and notes[0].link == f"/my/appointments/{appointment}"
    messenger = MemoryMessenger()
    sweep(hall, now=the_day_before, messenger=messenger, only=("deliver_outbox",))
    assert [m.to for m in messenger.sent if m.subject == "预约提醒"] == ["13800138000"]


def _miss(db, applicant, day):
    """Book a morning slot on `day` and let it pass without a check-in."""
    slot = slot_at(db, day, "09:00")
    book(db, applicant, slot.id, "restaurant", now=at(day, "08:00"))
    return sweep(db, now=at(day, "12:00"), only=("appointment_no_shows",))["appointment_no_shows"]


def test_three_no_shows_block_online_booking_for_thirty_days(hall):
    assert (NO_SHOW_LIMIT, BLOCK_DAYS) == (3, 30)
    me = user_id(hall, "applicant")
    days = [MONDAY, MONDAY + timedelta(days=1), MONDAY + timedelta(days=2)]
    assert [_miss(hall, me, d) for d in days] == [1, 1, 1]
    with hall.read() as session:
        statuses = session.scalars(select(Appointment.status).where(Appointment.applicant_id == me)).all()
    assert statuses == ["no_show"] * 3
    last_end = at(days[-1], "09:30")
    notes = _notes(hall, me, "appointment_no_show")
    assert len(notes) == 3 and "前不能在网上预约" in notes[-1].body and "前不能" not in notes[0].body
    later = at(MONDAY + timedelta(days=3), "08:00")
    with pytest.raises(BookingError) as blocked:
        book(hall, me, slot_at(hall, MONDAY + timedelta(days=3), "09:00").id, "restaurant", now=later)
    assert blocked.value.code == "blocked"
    assert blocked.value.details["until"] == last_end + timedelta(days=BLOCK_DAYS)
    # The phone line (and 12345) may still book for the caller.
    book(hall, me, slot_at(hall, MONDAY + timedelta(days=3), "09:00").id, "restaurant", channel="phone", now=later)


def test_the_block_rule_counts_no_shows_within_the_window():
    t0 = datetime(2025, 1, 1, tzinfo=timezone.utc)
    window = timedelta(days=NO_SHOW_WINDOW_DAYS)
    assert block_end([t0, t0 + timedelta(days=1)], t0 + timedelta(days=2)) is None
    three = [t0, t0 + timedelta(days=10), t0 + timedelta(days=20)]
    assert block_end(three, t0 + timedelta(days=21)) == three[-1] + timedelta(days=BLOCK_DAYS)
    assert block_end(three, three[-1] + timedelta(days=BLOCK_DAYS)) is None  # served its time
    spread = [t0, t0 + window, t0 + window * 2]
    assert block_end(spread, spread[-1]) is None


def test_the_window_checks_in_today_s_appointments_only(hall):
    me = user_id(hall, "applicant")
    clerk, reviewer = user_id(hall, "clerk"), user_id(hall, "rev_sj")
    today = book(hall, me, slot_at(hall, MONDAY, "09:00").id, "restaurant", now=BEFORE_OPENING)
    tomorrow = book(hall, me, slot_at(hall, MONDAY + timedelta(days=1), "09:00").id, "gym", now=BEFORE_OPENING)
    with hall.read() as session:
        assert [a.id for a, _, _ in appointments_on(session, MONDAY)] == [today]
    with pytest.raises(Forbidden):
        check_in(hall, reviewer, today, now=at(MONDAY, "09:05"))
    with pytest.raises(BookingError) as not_today:
        check_in(hall, clerk, tomorrow, now=at(MONDAY, "09:05"))
    assert not_today.value.code == "not_today"
    checked = check_in(hall, clerk, today, now=at(MONDAY, "09:05"))
    assert checked.status == "checked_in" and checked.checked_in_by_id == clerk
    with pytest.raises(BookingError):
        check_in(hall, clerk, today, now=at(MONDAY, "09:06"))
    # The sweep leaves a checked-in appointment alone.
    assert sweep(hall, now=at(MONDAY, "23:00"), only=("appointment_no_shows",))["appointment_no_shows"] == 0


def test_a_late_arrival_the_same_day_is_still_checked_in(hall):
    me = user_id(hall, "applicant")
    assert _miss(hall, me, MONDAY) == 1
    appointment = _notes(hall, me, "appointment_no_show")[0].link.rsplit("/", 1)[1]
    checked = check_in(hall, user_id(hall, "clerk"), int(appointment), now=at(MONDAY, "15:00"))
    assert checked.status == "checked_in" and checked.no_show_at is None


def test_the_intake_is_prefilled_for_a_person_and_for_a_company(hall):
    with hall.read() as session:
        person = session.scalar(select(User).where(User.username == "applicant"))
        company = session.scalar(select(User).where(User.username == "company"))
    appointment = Appointment(phone="13800138000")
    restaurant = {k: {} for k in ("legal_rep_name", "legal_rep_id_no", "legal_rep_mobile", "agent_name",
                                  "agent_id_no", "agent_mobile", "has_agent", "uscc", "has_company")}
    assert intake_prefill(appointment, person, restaurant) == {
        "legal_rep_name": "张三", "legal_rep_id_no": "420105198001011230", "legal_rep_mobile": "13800138000"}
    newborn = {k: {} for k in ("applicant_name", "applicant_id_no", "applicant_mobile", "agent_name")}
    assert intake_prefill(appointment, person, newborn)["applicant_name"] == "张三"
    assert intake_prefill(Appointment(phone=""), company, restaurant) == {
        "agent_name": "李四", "agent_id_no": "420105199003152349", "agent_mobile": "13900139000",
        "has_agent": True, "uscc": "91420103MA4K0JH0WD", "has_company": True}
