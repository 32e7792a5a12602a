"""The legal calendar: statutory facts for 2020, 2025 and 2026 with their
adjusted working weekends (调休); working hours across a lunch break, a
weekend and a holiday; the administrator's overrides (Wuhan's 2020
lockdown, a year entered before the package knows it); a year without data
is an error, never a guess — in code, in the shell and on the page."""
from __future__ import annotations

import json
import re
from datetime import date, datetime, timedelta

import pytest
from click.testing import CliRunner

from engine import workcalendar as wc
from engine.calendar_admin import clear_day, enter_year, set_day, set_range
from engine.workcalendar import BEIJING, CalendarDataMissing
from tests.web_helpers import signed_in, token_of


@pytest.fixture(autouse=True)
def no_overrides_left_behind():
    wc.use_overrides({})
    yield
    wc.use_overrides({})


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize("day, working", [
    # 2020: the Spring Festival extended to 2 February; six adjusted working weekends.
    ("2020-01-19", True), ("2020-01-31", False), ("2020-02-03", True), ("2020-04-26", True),
    ("2020-05-09", True), ("2020-06-28", True), ("2020-09-27", True), ("2020-10-10", True), ("2020-10-08", False),
    # 2025
    ("2025-01-26", True), ("2025-01-28", False), ("2025-02-08", True), ("2025-04-27", True),
    ("2025-09-28", True), ("2025-10-08", False), ("2025-10-11", True), ("2025-10-12", False),
    # 2026
    ("2026-01-04", True), ("2026-02-14", True), ("2026-02-28", True), ("2026-05-09", True),
    ("2026-09-20", True), ("2026-10-07", False), ("2026-10-10", True), ("2026-10-11", False),
])
def test_statutory_days(day, working):
    assert wc.is_working_day(date.fromisoformat(day)) is working
    info = wc.day_info(date.fromisoformat(day))
    assert info["source"] == "statutory"
    assert info["adjusted_working_weekend"] == (working and date.fromisoformat(day).weekday() >= 5)


def test_one_working_hour_across_lunch_weekend_and_holiday():
    assert wc.add_working_hours(bj(2026, 11, 25, 11, 30), 1) == bj(2026, 11, 25, 14, 0)  # lunch
    assert wc.add_working_hours(bj(2026, 11, 27, 17, 30), 1) == bj(2026, 11, 30, 9, 30)  # Fri -> Mon
    assert wc.add_working_hours(bj(2026, 11, 28, 10, 0), 1) == bj(2026, 11, 30, 10, 0)  # filed on a Saturday
    # The eve of National Day 2026: 1 October to 7 October off, Thursday 8 October back.
    assert wc.add_working_hours(bj(2026, 9, 30, 17, 30), 1) == bj(2026, 10, 8, 9, 30)
    # ...and an adjusted working Saturday counts: 10 October 2026.
    assert wc.add_working_hours(bj(2026, 10, 9, 17, 30), 1) == bj(2026, 10, 10, 9, 30)


def test_working_days_skip_the_start_day_and_holidays():
    # 20 working days after 2020-09-25 (two sources agree: SCENARIOS.md §4.3).
    assert wc.add_working_days(bj(2020, 9, 25, 10, 0), 20).astimezone(BEIJING).date() == date(2020, 10, 29)
    assert wc.add_working_days(bj(2026, 9, 30, 9, 0), 1) == bj(2026, 10, 8, 18, 0)
    assert wc.add_working_days(bj(2026, 11, 27, 9, 0), 0.5) == bj(2026, 11, 27, 14, 30)  # 4 h: 9-12, 13:30-14:30


def test_working_time_between_two_moments():
    assert wc.working_time_between(bj(2026, 11, 27, 11, 0), bj(2026, 11, 30, 10, 0)) == timedelta(hours=6, minutes=30)  # 1 + 4.5 on Friday, 1 on Monday
    assert wc.working_time_between(bj(2026, 9, 30, 17, 0), bj(2026, 10, 8, 10, 0)) == timedelta(hours=2)
    assert wc.working_time_between(bj(2026, 10, 8, 10, 0), bj(2026, 9, 30, 17, 0)) == -timedelta(hours=2)


def test_a_year_without_data_is_an_error_not_a_guess():
    with pytest.raises(CalendarDataMissing, match="2027"):
        wc.is_working_day(date(2027, 3, 1))
    with pytest.raises(CalendarDataMissing):
        wc.add_working_days(bj(2026, 12, 30, 9, 0), 5)


def test_the_wuhan_lockdown_and_an_entered_year(db):
    with db.write() as session:
        count = set_range(session, date(2020, 1, 23), date(2020, 4, 8), False, "武汉封城")
    assert count == 77
    assert not wc.is_working_day(date(2020, 3, 2)) and wc.day_info(date(2020, 3, 2))["note"] == "武汉封城"
    assert wc.add_working_days(bj(2020, 1, 22, 10, 0), 1) == bj(2020, 4, 9, 18, 0)
    with db.write() as session:
        set_day(session, date(2027, 1, 1), False, "元旦")
        set_day(session, date(2027, 2, 20), True, "春节调休上班")
        enter_year(session, 2027, "国办发明电〔2026〕X号")
    assert not wc.is_working_day(date(2027, 1, 1)) and wc.is_working_day(date(2027, 2, 20))
    assert wc.is_working_day(date(2027, 3, 1)) and not wc.is_working_day(date(2027, 3, 6))
    assert wc.day_info(date(2027, 3, 1))["source"] == "entered_year"
    with db.write() as session:
        clear_day(session, date(2020, 3, 2))
    assert wc.is_working_day(date(2020, 3, 2))


def test_another_process_follows_the_edits_on_refresh(db):
    with db.write() as session:
        set_day(session, date(2026, 12, 1), False, "停电")
    wc.use_overrides({})  # as another process that has not refreshed yet
    assert wc.is_working_day(date(2026, 12, 1))
    with db.transaction() as conn:
        assert wc.refresh_overrides(conn) is True
        assert wc.refresh_overrides(conn) is False  # unchanged: no reload
    assert not wc.is_working_day(date(2026, 12, 1))


def cli(db, *args):
    from web.cli import main

    return CliRunner().invoke(main, ["calendar", *args], env={"ONEWINDOW_DATABASE_URL": db.url})


def test_the_calendar_from_the_shell(db):
    result = cli(db, "day", "2020-01-19", "--json")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output).items() >= {"date": "2020-01-19", "working_day": True,
                                             "adjusted_working_weekend": True}.items()
    result = cli(db, "add", "2026-09-30T17:30", "--working-hours", "1", "--json")
    assert json.loads(result.output)["end"] == "2026-10-08T09:30:00+08:00"
    result = cli(db, "add", "2026-09-30", "--working-days", "1", "--json")
    assert json.loads(result.output)["end_date"] == "2026-10-08"
    missing = cli(db, "day", "2027-03-01", "--json")
    assert missing.exit_code != 0 and "no statutory calendar data" in missing.output
    assert cli(db, "add", "2026-12-30", "--working-days", "5").exit_code != 0
    assert cli(db, "set", "2026-12-01", "--closed", "--note", "停电").exit_code == 0
    assert json.loads(cli(db, "day", "2026-12-01", "--json").output)["source"] == "override"


MISSING_MARCH_FIRST = re.compile(r'class="cal-day missing"[^>]*data-date="2027-03-01"')


def test_the_administrators_page(app, db):
    assert signed_in(app, "clerk").get("/admin/calendar").status_code == 403
    admin = signed_in(app, "admin")
    page = admin.get("/admin/calendar?year=2027")
    assert page.status_code == 200 and MISSING_MARCH_FIRST.search(page.get_data(as_text=True))
    token = token_of(page.get_data(as_text=True))
    response = admin.post("/admin/calendar/days?year=2020", data={
        "csrf_token": token, "first": "2020-01-23", "last": "2020-04-08", "working": "closed", "note": "武汉封城"})
    assert response.status_code == 302
    assert not wc.is_working_day(date(2020, 2, 3))
    bad = admin.post("/admin/calendar/days", data={"csrf_token": token, "first": "2020-05-01",
                                                  "last": "2020-04-01", "working": "closed"})
    assert bad.status_code == 422 and "ends before it starts" in bad.get_data(as_text=True)
    assert admin.post("/admin/calendar/years", data={"csrf_token": token, "year": "2027",
                                                     "source": ""}).status_code == 422
    assert admin.post("/admin/calendar/years", data={"csrf_token": token, "year": "2027",
                                                     "source": "国办发明电〔2026〕X号"}).status_code == 302
    page = admin.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert not MISSING_MARCH_FIRST.search(page) and 'data-date="2027-03-01"' in page
