"""The applicant's side in a real browser: the guide, the online
application with uploads, the window's pre-review and acceptance, the back
office walked with the runtime to a correction notice, and the correction
answered online so that the case moves on. Screenshots in test-artifacts/."""
from __future__ import annotations

import pytest

from tests.browser import fill_form, live_browser, shot, sign_in
from tests.walk import Walker

pytestmark = pytest.mark.browser

PDF = b"%PDF-1.4\n% a scanned material\n"


@pytest.fixture
def portal(request, tmp_path):
    with live_browser(request, tmp_path, UPLOAD_FOLDER=str(tmp_path / "uploads")) as served:
        yield served


def page_as(browser, base, username=None, locale="zh-CN"):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale=locale).new_page()
    if username:
        sign_in(page, base, username)
    return page


def test_guide_apply_online_prereview_and_answer_a_correction(portal, intake, tmp_path):
    base, browser, app = portal
    from web import get_runtime

    runtime = get_runtime(app)
    material = tmp_path / "scan.pdf"
    material.write_bytes(PDF)

    # The guide, as anyone: search, answer, read what applies.
    visitor = page_as(browser, base)
    visitor.goto(base + "/")
    visitor.click("text=智能导办：我要办什么？")
    visitor.fill("input[name='q']", "餐馆")
    visitor.click("form.filters button")
    shot(visitor, "portal-guide-search")
    visitor.click("text=开办餐馆")
    visitor.fill("[name='area_m2']", "180")
    visitor.select_option("[name='property_type']", "leased")
    visitor.check("[name='discharge_to_sewer']")
    visitor.check("[name='has_agent']")
    visitor.click("form.guide-form button.primary")
    visitor.wait_for_selector("#result")
    shot(visitor, "portal-guide-result")
    result = visitor.locator("#result")
    assert result.locator("[data-approval='fire']").count() == 1  # 180 m² ≥ 50 m²
    assert result.locator("[data-approval='sign']").count() == 0
    assert result.locator("[data-material='authorisation_letter']").count() == 1

    # Apply online: the guide's answers come along; the rest of the one form
    # and the materials are filled and uploaded.
    company = page_as(browser, base, "company")
    company.goto(base + visitor.locator("#result a.button.primary").get_attribute("href"))
    assert company.input_value("[name='area_m2']") == "180"
    with runtime.db.read() as session:
        _, form = runtime.intake_form(session.connection(), "restaurant")
    data = {**intake, "has_company": True, "uscc": "91420103MA4KXXXX0Q", "has_sign": False,
            "remote_inspection": False}
    data.pop("appointment_at")
    fill_form(company, form.fields(), data)
    company.click("button[value='save']")  # a draft first: nothing typed is lost
    company.wait_for_selector(".flash.info")
    for row in company.locator("tr[data-material]:not(.optional) input[type=file]").all():
        row.set_input_files(str(material))
    shot(company, "portal-apply")
    company.click("button[value='submit']")
    company.wait_for_selector(".badge.application-submitted")
    shot(company, "portal-application-submitted")

    # The window pre-reviews: reads, downloads, accepts.
    clerk = page_as(browser, base, "clerk")
    clerk.goto(base + "/window/online")
    clerk.locator("table.prereview a").first.click()
    clerk.wait_for_selector(".prereview-actions")
    shot(clerk, "prereview-application")
    with clerk.expect_download() as download:
        clerk.locator("tr[data-material='id_card'] a").first.click()
    assert download.value.path().read_bytes() == PDF
    clerk.click(".prereview-actions button.primary")
    clerk.wait_for_url("**/receipt")
    reference = clerk.locator(".summary .ref").inner_text()

    # The applicant is told, and follows the case.
    company.goto(base + "/inbox")
    assert reference in company.content()
    company.goto(base + "/my")
    company.click(f"text={reference}")
    shot(company, "portal-case-status")
    case_id = int(company.url.rstrip("/").rsplit("/", 1)[1])

    # The back office, walked with the runtime, asks for a correction.
    walk = Walker(runtime, case_id)
    walk.complete("Task_FoodReview", decision="correct", reason="缺少食品安全管理制度")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    walk.complete("Task_CorrectionNotice", items=["补充食品安全管理制度"], served_by="sms")
    assert walk.open_tasks() == {"Task_CorrectionSupply"}

    # The applicant answers online; the case moves on to the food review.
    company.goto(base + "/inbox")
    company.locator("ul.inbox button", has_text="请办理").first.click()
    company.wait_for_selector("#correction")
    assert "补充食品安全管理制度" in company.content()
    company.set_input_files("#supply-files", str(material))
    shot(company, "portal-correction")
    company.click("#correction button.primary")
    company.wait_for_selector(".flash.info")
    runtime.workflows.clear()
    assert walk.open_tasks() == {"Task_FoodReview"}
    assert "补正告知" not in company.locator("main").inner_text()
    shot(company, "portal-case-resumed")

    # The English switch.
    company.goto(f"{base}/lang/en?next=/my/cases/{case_id}")
    shot(company, "portal-case-status-en")
    visitor.goto(f"{base}/lang/en?next=/guide/restaurant")
    shot(visitor, "portal-guide-en")
