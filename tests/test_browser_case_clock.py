"""A case started on the eve of a holiday shows the right promised date, in
a real browser (issue 6, "done when"). The application's clock (the
runtime's, which every command and every remaining time reads) is set to
Wednesday 2026-09-30 16:00 Beijing time, the eve of National Day. The 2026
schedule: 1-7 October off, Saturday 10 October a working day (调休).

- A restaurant (promise 5 working days) filed at the window in the
  browser: 8, 9, Saturday 10 (调休), 12 and 13 October: promised
  2026-10-13 18:00 (without the adjusted Saturday it would be the 14th), on
  the receipt and the window's case page.
- Company set-up (promise 0.5 working day) filed for the applicant: two
  hours on the eve, then the week off, then two hours on Thursday 8
  October: promised 2026-10-08 11:00, on the window's case page, on the
  applicant's /my page and on their case page, where its registration
  step shows its legal limit (3 working days, which would end on the
  adjusted Saturday 10 October) and the hall's sooner promise, 8 October 11:00.

Screenshots in test-artifacts/."""
from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from engine.workcalendar import BEIJING, is_working_day
from models import Case, User
from tests.browser import fill_form, shot
from tests.test_browser import hall, page_as  # noqa: F401  (the live server fixture)
from tests.walk import load_intake, on_clock

pytestmark = pytest.mark.browser

EVE = datetime(2026, 9, 30, 16, 0, tzinfo=BEIJING)


def test_cases_started_on_the_eve_of_national_day_show_the_promised_dates_after_it(hall):  # noqa: F811
    base, browser, app = hall
    from web import get_runtime

    assert [is_working_day(date(2026, 10, d)) for d in (1, 7, 8, 9, 10, 11, 12)] == [
        False, False, True, True, True, False, True]
    runtime = on_clock(get_runtime(app), EVE)

    # A restaurant at the window, through the browser.
    clerk = page_as(browser, base, "clerk")
    clerk.goto(base + "/window")
    clerk.locator(".catalog li", has_text="开办餐馆").locator("a").click()
    with runtime.db.read() as session:
        _, form = runtime.intake_form(session.connection(), "restaurant")
    fill_form(clerk, form.fields(), {**load_intake("restaurant"), "has_company": True, "uscc": "91420103MA4KXXXX0Q",
                                     "has_sign": False, "discharge_to_sewer": False, "remote_inspection": False})
    for select_box in clerk.locator("select[name^='material.']").all():
        select_box.select_option("received")
    clerk.click("form.case-form button.primary")
    clerk.wait_for_url("**/receipt")
    assert "承诺于 2026-10-13 18:00 前办结" in clerk.content()  # the receipt's promise
    shot(clerk, "holiday-eve-receipt")
    reference = clerk.locator(".summary .ref").inner_text()
    with runtime.db.read() as session:
        restaurant = session.scalars(select(Case).where(Case.reference == reference)).one()
    assert restaurant.created_at == EVE
    clerk.goto(f"{base}/cases/{restaurant.id}")
    promised = clerk.locator(".summary div", has_text="承诺办结")
    assert "2026-10-13 18:00" in promised.inner_text()
    assert promised.locator(".remaining.ok").count() == 1  # the remaining time on the app's clock
    shot(clerk, "holiday-eve-restaurant-case")

    # Company set-up for the applicant (as an accepted online application is), on the same eve.
    with runtime.db.read() as session:
        applicant_id = session.scalar(select(User.id).where(User.username == "applicant"))
    startup = runtime.start_case("company_startup", load_intake("company_startup"), "clerk",
                                 applicant_id=applicant_id)
    clerk.goto(f"{base}/cases/{startup.case_id}")
    promised = clerk.locator(".summary div", has_text="承诺办结")
    assert "2026-10-08 11:00" in promised.inner_text()
    assert promised.locator(".remaining.soon").count() == 1  # 4 working hours left
    shot(clerk, "holiday-eve-company-setup-case")

    applicant = page_as(browser, base, "applicant")
    applicant.goto(base + "/my")
    row = applicant.locator("tr", has_text=startup.reference)
    assert "2026-10-08 11:00" in row.inner_text()
    assert row.locator(".remaining.soon").count() == 1
    shot(applicant, "holiday-eve-my")
    applicant.goto(f"{base}/my/cases/{startup.case_id}")
    assert "承诺办结：2026-10-08 11:00" in applicant.content()
    # Its registration step: the legal limit, and the hall's promise for the block, which is sooner.
    step = applicant.locator("li", has_text="设立登记").inner_text()
    assert "时限 3 个工作日" in step and "承诺日期 2026-10-08 11:00" in step
    shot(applicant, "holiday-eve-my-case")
