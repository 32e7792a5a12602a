"""The studio's DMN editor, form editor and draft simulation in a real
browser: a designer changes a threshold in the restaurant's permit table
(dmn-js) and saves; relabels a field of a form, sees the preview follow,
saves; runs 20 simulated cases on the draft and sees the flows taken and
the waits painted on the diagram. Screenshots in test-artifacts/."""
from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from models import ProcessDraft
from tests.browser import ARTIFACTS, live_browser, shot, sign_in
from web import get_db

pytestmark = pytest.mark.browser


@pytest.fixture
def studio(request, tmp_path):
    with live_browser(request, tmp_path) as served:
        yield served


def draft_files(app) -> dict:
    with get_db(app).read() as session:
        draft = session.scalar(select(ProcessDraft).where(ProcessDraft.scenario_key == "restaurant"))
        return dict(draft.files) if draft else {}


def test_edit_a_table_and_a_form_then_simulate_the_draft(studio):
    base, browser, app = studio
    page = browser.new_context(viewport={"width": 1360, "height": 950}, locale="zh-CN").new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    sign_in(page, base, "designer")
    page.goto(base + "/studio/restaurant")
    shot(page, "studio-tools-scenario")

    # A decision table: the fire check's area threshold, 50 m² -> 60 m².
    page.click(".studio-tool-links a:has-text('permits.dmn')")
    page.wait_for_selector("#dmn-editor[data-ready='true']")
    assert page.locator(".dmn-views button.active").inner_text().startswith("决策表")
    cell = page.locator("td.input-cell", has_text=">= 50").first
    cell.click()
    page.keyboard.press("Control+A")
    page.keyboard.type(">= 60")
    page.locator(".dmn-views").click()  # leave the cell
    page.wait_for_selector("#dmn-editor .studio-status:has-text('有未保存的修改')")
    shot(page, "studio-tools-dmn")
    page.click("#dmn-editor button.save")
    page.wait_for_selector("#dmn-editor[data-revision='1']")
    assert page.inner_text("#dmn-editor .studio-status") == "已保存"
    assert "&gt;= 60" in draft_files(app)["permits.dmn"]

    # A form: the first field of the food review gets a new label.
    page.goto(base + "/studio/restaurant")
    page.click(".studio-tool-links a:has-text('forms/food_review.json')")
    page.wait_for_selector("#form-editor[data-previewed]")
    pane = page.locator(".form-preview-pane")
    assert pane.locator(".field").count() >= 1
    area = page.locator(".json-editor textarea")
    schema = json.loads(area.input_value())
    name = next(iter(schema["properties"]))
    old = schema["properties"][name]["title"]
    area.fill(area.input_value().replace(f'"title": "{old}"', '"title": "审查结论（新）"', 1))
    page.wait_for_function("document.querySelector('.form-preview-pane').textContent.includes('审查结论（新）')")
    assert page.inner_text("#form-editor .studio-status") == "有未保存的修改"
    # Broken JSON: the error says where, the last good preview stays (dimmed).
    area.press("End")
    area.type(",")
    page.wait_for_selector(".preview-errors:not([hidden]) li")
    assert "invalid JSON at line" in page.inner_text(".preview-errors")
    assert page.locator(".form-preview-pane.stale").count() == 1
    area.press("Backspace")
    page.wait_for_selector(".preview-errors[hidden]", state="attached")
    shot(page, "studio-tools-form")
    page.click("#form-editor button.save")
    page.wait_for_selector("#form-editor[data-revision='2']")
    assert "审查结论（新）" in draft_files(app)["forms/food_review.json"]

    # Twenty simulated cases on the draft, coverage and waits on the diagram.
    page.goto(base + "/studio/restaurant")
    page.click("text=模拟运行草稿")
    page.fill("input[name='runs']", "20")
    page.click("form.sim-run button[type=submit]")
    page.wait_for_selector("#simulation[data-painted]", timeout=120_000)
    assert page.get_attribute("#simulation", "data-runs") == "20"
    assert int(page.get_attribute("#simulation", "data-painted")) >= 20
    taken = page.locator(".djs-connection[class*='sim-taken-']").count()
    assert taken >= 20
    assert page.locator(".sim-flow-badge").count() == int(page.get_attribute("#simulation", "data-painted"))
    assert page.locator(".djs-element[class*='hm-']").count() >= 3  # tasks coloured by their wait
    assert page.locator("table.sim-tasks tbody tr").count() >= 5
    assert "走过的顺序流" in page.inner_text(".sim-summary")
    shot(page, "studio-tools-simulation")
    page.locator("#simulation .casemap").screenshot(path=str(ARTIFACTS / "studio-tools-simulation-diagram.png"))
    assert page.inner_text(".sim-flows-file") == "restaurant.bpmn"
    # A called block's diagram, chosen in the list.
    block = page.locator(".casemap-select option", has_text="company_setup.bpmn").get_attribute("value")
    page.select_option(".casemap-select", block)
    page.wait_for_function("document.querySelector('.casemap-select').value.endsWith('company_setup.bpmn') && "
                           "document.querySelectorAll('.djs-connection[class*=\"sim-\"]').length > 0")
    shot(page, "studio-tools-simulation-block")
    assert errors == []
