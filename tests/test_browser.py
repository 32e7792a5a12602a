"""The hall in a real browser (Chromium driven by Playwright): a clerk
starts a restaurant case at the window, reviewers of three departments do
their parts, one asks for a correction that the window resolves, the clerk
hands out the results; a reviewer cannot open another department's task;
a stale page shows the conflict instead of losing work. Screenshots of the
main pages land in test-artifacts/."""
from __future__ import annotations

import random

import pytest

from engine.simulation.answers import answer
from models import Case
from tests.browser import fill_form, live_browser, shot, sign_in
from tests.walk import Walker

pytestmark = pytest.mark.browser


@pytest.fixture
def hall(request, tmp_path):
    with live_browser(request, tmp_path) as served:
        yield served


def page_as(browser, base, username):
    page = browser.new_context(viewport={"width": 1280, "height": 900}, locale="zh-CN").new_page()
    sign_in(page, base, username)
    return page


def open_task(page, base, title_part):
    page.goto(base + "/queue")
    page.locator("table.queue tr", has_text=title_part).locator("a").first.click()
    page.wait_for_selector("form.case-form")


def decide(page, runtime_app, fixed, seed=1):
    """Fill the task page's form with valid data and submit."""
    from web import get_runtime

    case_id, task_id = page.url.rstrip("/").split("/cases/")[1].split("/tasks/")
    runtime = get_runtime(runtime_app)
    walker = Walker(runtime, int(case_id))
    item = next(i for i in walker.open_items() if i.task_id == task_id)
    schema = walker.form_schema(item)
    data = answer(schema, fixed, random.Random(seed))
    with runtime.db.read() as session:
        compiled = runtime.compiled_by_version(session.connection(), session.get(Case, int(case_id)).process_version_id)
    form = compiled.forms.get(item.form_key)
    fill_form(page, form.fields(), data)
    page.click("form.case-form button.primary")
    page.wait_for_load_state()


def test_a_restaurant_case_from_intake_to_delivery(hall, intake):
    base, browser, app = hall
    clerk = page_as(browser, base, "clerk")
    clerk.goto(base + "/window")
    shot(clerk, "window-catalog")
    clerk.locator(".catalog li", has_text="开办餐馆").locator("a").click()
    from web import get_runtime

    with get_runtime(app).db.read() as session:
        _, form = get_runtime(app).intake_form(session.connection(), "restaurant")
    data = {**intake, "has_company": True, "uscc": "91420103MA4KXXXX0Q", "has_sign": False,
            "discharge_to_sewer": False, "remote_inspection": False}
    fill_form(clerk, form.fields(), data)
    for select in clerk.locator("select[name^='material.']").all():
        select.select_option("received")
    clerk.click("form.case-form button.primary")
    clerk.wait_for_url("**/receipt")
    shot(clerk, "receipt")
    reference = clerk.locator(".summary .ref").inner_text()
    assert reference.startswith("JH-")
    assert "食品经营许可" in clerk.content()

    food, fire, env = (page_as(browser, base, u) for u in ("rev_sj", "rev_xf", "rev_hb"))
    food.goto(base + "/queue")
    shot(food, "queue-sj")
    open_task(food, base, "材料审查")
    shot(food, "task-food-review")
    decide(food, app, {"decision": "approve"})
    open_task(fire, base, "消防")
    decide(fire, app, {"decision": "approve", "mode": "on_site"})
    open_task(env, base, "环评")
    decide(env, app, {"decision": "correct", "reason": "缺少油烟净化设施检测报告"})
    open_task(food, base, "现场核查")
    decide(food, app, {"decision": "approve", "mode": "on_site"})

    # The window sends one correction notice, takes the supply, the case resumes.
    open_task(clerk, base, "一次性告知")
    shot(clerk, "task-correction-notice")
    decide(clerk, app, {})
    open_task(clerk, base, "补正材料")
    decide(clerk, app, {"complete": True})
    open_task(env, base, "环评")
    decide(env, app, {"decision": "approve"})

    open_task(clerk, base, "统一出件")
    shot(clerk, "task-delivery")
    decide(clerk, app, {"method": "window"})
    clerk.goto(base + "/queue")
    case_link = base + "/cases/1"
    clerk.goto(case_link)
    shot(clerk, "case-completed")
    assert "已办结" in clerk.content()
    assert "缺少油烟净化设施检测报告" in clerk.content()  # the correction asked is on record


def test_another_departments_task_and_a_stale_page(hall, intake):
    base, browser, app = hall
    from web import get_runtime

    runtime = get_runtime(app)
    result = runtime.start_case("restaurant", {**intake, "has_company": True, "uscc": "91420103MA4KXXXX0Q",
                                               "has_sign": False, "discharge_to_sewer": False}, "clerk")
    walker = Walker(runtime, result.case_id)
    fire_item = walker.item("Task_OnsiteInspection:fire")
    food = page_as(browser, base, "rev_sj")
    food.goto(f"{base}/cases/{result.case_id}/tasks/{fire_item.task_id}")
    assert "页面不存在" in food.content()
    shot(food, "other-department-404")

    env = page_as(browser, base, "rev_hb")
    open_task(env, base, "环评")
    walker.complete("Task_Env", actor="rev_hb2", decision="approve")  # a colleague was quicker
    env.select_option("[name='decision']", "reject")
    env.fill("[name='reason']", "材料不全")
    env.click("form.case-form button.primary")
    env.wait_for_load_state()
    assert "rev_hb2" in env.content()
    shot(env, "stale-page-conflict")
    assert walker.data()["approvals"]["env"]["decision"] == "approve"
