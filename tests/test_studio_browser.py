"""The process studio in a real browser (issue 7): a designer opens the
restaurant process in the modeler, renames a task, puts a condition on a
flow that the restricted evaluator refuses, saves, sees the problem on that
flow, fixes it, saves, deploys version 2; a case started before finishes on
version 1 while a new case runs on version 2 under the new task name; a
hostile upload is refused. Screenshots in test-artifacts/."""
from __future__ import annotations

import pytest

from tests.browser import live_browser, shot, sign_in
from tests.walk import start
from web import get_runtime

pytestmark = pytest.mark.browser
NEW_NAME = "食品经营许可 材料审核（新）"
GOOD = "approvals['food']['decision'] == 'approve'"
BAD = "approvals['food']['decision'] == 'approve' and __import__('os')"
ANSWERS = dict(has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False, discharge_to_sewer=False,
               remote_inspection=False)
DOCTYPE_BPMN = ('<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY big "big">]>\n'
                '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&big;</bpmn:definitions>')


def _set_condition(page, flow_id: str, body: str) -> None:
    page.evaluate("""([id, body]) => {
        const m = window.studioModeler;
        const flow = m.get('elementRegistry').get(id);
        const expression = m.get('moddle').create('bpmn:FormalExpression', {body});
        m.get('modeling').updateProperties(flow, {conditionExpression: expression});
    }""", [flow_id, body])


def _save(page, expect: str) -> None:
    page.click("#studio-save")
    page.wait_for_function("([text]) => document.querySelector('#studio-status').textContent.includes(text)",
                           arg=[expect])


def _finish(walk) -> None:
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_designer_changes_the_restaurant_in_the_browser_and_deploys_version_2(request, tmp_path, intake):
    with live_browser(request, tmp_path) as (base, browser, app):
        runtime = get_runtime(app)
        old = start(runtime, intake, **ANSWERS)
        v1 = old.case().process_version_id

        page = browser.new_context(viewport={"width": 1440, "height": 1000}, locale="zh-CN").new_page()
        errors = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        sign_in(page, base, "designer")
        page.click("nav >> text=流程工作室")
        assert "开办餐馆" in page.inner_text("#scenario-restaurant")
        shot(page, "studio-list")
        page.click("#scenario-restaurant a")
        shot(page, "studio-scenario")
        page.click("text=打开流程编辑器")
        page.wait_for_selector("body[data-studio-ready='true']")
        assert page.locator(".bio-properties-panel").count() == 1  # the Camunda properties panel

        # Rename a task through the modeler's API, as the label editor does.
        page.evaluate("""([name]) => {
            const m = window.studioModeler;
            m.get('modeling').updateLabel(m.get('elementRegistry').get('Task_FoodReview'), name);
        }""", [NEW_NAME])
        _set_condition(page, "Flow_FoodReviewPassed", BAD)
        _save(page, "有 1 个问题")
        badge = page.locator(".studio-problem-badge[data-element='Flow_FoodReviewPassed']")
        badge.wait_for()
        assert "condition" in badge.get_attribute("title")
        assert page.locator(".djs-element.studio-has-problem[data-element-id='Flow_FoodReviewPassed']").count() == 1
        page.click("#studio-problems li[data-element='Flow_FoodReviewPassed'] button")
        selected = page.evaluate("() => window.studioModeler.get('selection').get().map(e => e.id)")
        assert selected == ["Flow_FoodReviewPassed"]
        shot(page, "studio-editor-problem")

        _set_condition(page, "Flow_FoodReviewPassed", GOOD)
        _save(page, "已保存为第 2 稿")
        assert page.locator(".studio-problem-badge").count() == 0
        assert page.inner_text("#studio-problems") == "未发现问题"
        shot(page, "studio-editor-fixed")

        page.click("text=返回事项")
        assert "校验通过，可以发布" in page.inner_text("#draft")
        page.click("button:has-text('发布草稿')")
        assert "已发布第 2 版" in page.inner_text("main")
        shot(page, "studio-deployed")

        # The saved file keeps the Camunda extensions and the diagram, for the desktop modeler.
        saved = page.request.get(base + "/studio/restaurant/v2.zip")
        assert saved.ok
        import io
        import zipfile

        xml = zipfile.ZipFile(io.BytesIO(saved.body())).read("restaurant/restaurant.bpmn").decode()
        assert 'camunda:formKey="food_review"' in xml and "<bpmndi:BPMNShape" in xml and NEW_NAME in xml

        # The old case stays on version 1 and finishes there; a new case runs on version 2.
        new = start(runtime, intake, **ANSWERS)
        assert old.case().process_version_id == v1 and new.case().process_version_id != v1
        staff = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        sign_in(staff, base, "rev_sj")
        staff.goto(base + "/queue")
        queue = staff.inner_text("main")
        assert NEW_NAME in queue and "食品经营许可 材料审查" in queue
        shot(staff, "studio-queue-two-versions")
        _finish(old)
        _finish(new)
        assert old.case().process_version_id == v1

        # A hostile upload is refused whole.
        page.goto(base + "/studio/restaurant")
        page.set_input_files(".studio-upload input[type=file]",
                             {"name": "restaurant.bpmn", "mimeType": "application/xml", "buffer": DOCTYPE_BPMN.encode()})
        page.click(".studio-upload button[type=submit]")
        flashes = page.inner_text("main")
        assert "文件被拒绝，未保存任何内容。" in flashes and "DOCTYPE" in flashes
        assert "暂无草稿" in page.inner_text("#draft")
        shot(page, "studio-hostile-upload")
        assert errors == []


def test_every_library_process_survives_a_save_from_the_modeler(request, tmp_path):
    """Each scenario and block opened in bpmn-js and saved as the modeler
    writes it (its own formatting, the Camunda moddle) is still a valid,
    deployable draft: the modeler loses none of the extensions the engine
    reads."""
    from sqlalchemy import select

    from engine.studio import drafts
    from models import ProcessVersion
    from web import get_db

    with live_browser(request, tmp_path) as (base, browser, app):
        with get_db(app).read() as session:
            keys = sorted(session.scalars(select(ProcessVersion.scenario_key).where(ProcessVersion.active.is_(True))))
        assert len(keys) == 38
        page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
        sign_in(page, base, "designer")
        problems = {}
        for key in keys:
            page.goto(f"{base}/studio/{key}/bpmn")
            page.wait_for_selector("body[data-studio-ready='true']")
            _save(page, "已保存为第 1 稿")
            with get_db(app).read() as session:
                draft = drafts.draft_of(session, key)
                assert "xmlns:camunda=" in draft.files[f"{key}.bpmn"]
                if draft.problems:
                    problems[key] = draft.problems
        assert problems == {}
