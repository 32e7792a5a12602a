"""Appointments in a real browser: an applicant books a slot of today, the
window clerk sees it in today's list, checks the applicant in, and the
intake form opens prefilled with the appointment's person. Screenshots of
the appointment pages (Chinese, and English for two) land in test-artifacts/."""
from __future__ import annotations

import pytest

from tests.appointment_helpers import hall_from_today, slot_starting_soon
from tests.browser import shot
from tests.test_browser import hall as browser_hall, page_as  # noqa: F401  (the live-server fixture)

pytestmark = pytest.mark.browser


@pytest.fixture
def hall(browser_hall):  # noqa: F811
    base, browser, app = browser_hall
    from web import get_db

    db = get_db(app)
    hall_from_today(db)
    return base, browser, app, slot_starting_soon(db)


def test_an_applicant_books_and_the_window_checks_them_in(hall):
    base, browser, app, slot = hall
    applicant = page_as(browser, base, "applicant")
    applicant.goto(base + "/my")
    applicant.click("text=预约到大厅办理")
    applicant.select_option("select[name=scenario]", "restaurant")
    applicant.wait_for_selector("table.slots")
    shot(applicant, "appointments-new")
    applicant.locator(f"form:has(input[name=slot_id][value='{slot}']) button").click()
    applicant.wait_for_selector("dl.facts")
    assert "预约成功" in applicant.content() and "已预约" in applicant.inner_text("dl.facts")
    shot(applicant, "appointments-show")
    applicant.goto(base + "/my/appointments")
    shot(applicant, "appointments-index")

    clerk = page_as(browser, base, "clerk")
    clerk.click("text=预约签到")
    row = clerk.locator("table.appointments tr", has_text="张三")
    assert "420105198001011230" in row.inner_text()
    shot(clerk, "hall-appointments-today")
    row.locator("button", has_text="签到并受理").click()
    clerk.wait_for_selector("form.case-form")
    assert "/window/start/restaurant?appointment=" in clerk.url
    assert clerk.input_value("[name='legal_rep_name']") == "张三"
    assert clerk.input_value("[name='legal_rep_id_no']") == "420105198001011230"
    assert clerk.input_value("[name='legal_rep_mobile']") == "13800138000"
    shot(clerk, "window-intake-from-appointment")

    supervisor = page_as(browser, base, "supervisor")
    supervisor.click("text=大厅日历")
    supervisor.wait_for_selector("table.sessions")
    shot(supervisor, "hall-calendar")
    supervisor.goto(base + "/lang/en?next=/hall/calendar")
    shot(supervisor, "hall-calendar-en")
    applicant.goto(base + "/lang/en?next=/my/appointments")
    shot(applicant, "appointments-index-en")
