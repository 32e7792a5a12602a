"""上门办 and 远程勘验办 in a real browser: an applicant asks for a visit, the
supervisor assigns two staff, a staff member records the visit with a
photo and starts the case for the applicant, who then sees it in /my; a
reviewer fills the video inspection page (checklist, two inspectors, the
recording uploaded and hashed by the server). Screenshots (Chinese, and
one in English) land in test-artifacts/."""
from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta

import pytest

from engine.simulation.answers import answer
from engine.workcalendar import BEIJING
from models import Case
from tests.browser import fill_form, shot
from tests.test_browser import hall, page_as  # noqa: F401  (the live server fixture)
from tests.walk import Walker, load_intake, on_clock, start

pytestmark = pytest.mark.browser

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
MP4 = b"\0\0\0\x18ftypmp42" + b"\0" * 256


def test_an_on_site_visit_from_request_to_the_applicants_case(hall):  # noqa: F811
    base, browser, app = hall
    from web import get_runtime

    runtime = get_runtime(app)
    applicant = page_as(browser, base, "applicant")
    applicant.goto(base + "/my/visits/new")
    applicant.select_option("[name='reason']", "elderly")
    applicant.check("input[name='items'][value='retirement']")
    applicant.fill("[name='address']", "武汉市江汉区解放大道 1 号 3 栋 201")
    applicant.fill("[name='district']", "民族街")
    day = (runtime.clock() + timedelta(days=3)).astimezone(BEIJING).date().isoformat()
    applicant.fill("[name='preferred_date']", day)
    applicant.select_option("[name='preferred_period']", "morning")
    applicant.fill("[name='notes']", "腿脚不便，请提前电话联系")
    shot(applicant, "visit-request-form")
    applicant.click("form.visit-form button.primary")
    applicant.wait_for_url("**/my/visits/*")
    visit_url = applicant.url
    visit_id = int(visit_url.rsplit("/", 1)[1])
    assert "待安排" in applicant.content()

    chief = page_as(browser, base, "supervisor")
    chief.goto(base + "/visits")
    shot(chief, "visit-list-supervisor")
    chief.goto(f"{base}/visits/{visit_id}")
    chief.select_option("[name='staff1']", label="综合窗口 王敏（CK）")
    chief.select_option("[name='staff2']", label="区人社局 审批员（RS）")
    when = (runtime.clock() + timedelta(days=2)).astimezone(BEIJING).strftime("%Y-%m-%dT10:00")
    chief.fill("[name='scheduled_at']", when)
    chief.click(".visit-assign button.primary")
    chief.wait_for_load_state()
    assert "已指派" in chief.content()
    shot(chief, "visit-assigned")

    clerk = page_as(browser, base, "clerk")
    clerk.goto(base + "/inbox")
    assert f"上门服务任务 #{visit_id}" in clerk.content()
    clerk.goto(f"{base}/visits/{visit_id}/record")
    clerk.select_option("[name='result']", "completed")
    clerk.fill("[name='notes']", "已核对身份，代为填写申请")
    clerk.fill("[name='materials']", "身份证复印件\n退休申请表")
    clerk.set_input_files("[name='photos']", {"name": "门牌.png", "mimeType": "image/png", "buffer": PNG})
    shot(clerk, "visit-record")
    clerk.click("form.visit-form button.primary")
    clerk.wait_for_url(f"**/visits/{visit_id}")
    assert "照片 1" in clerk.content()
    clerk.locator(".visit-start a", has_text="受理").first.click()
    clerk.wait_for_selector("form.case-form")
    assert clerk.input_value("[name='applicant_id_no']") == "420105198001011230"
    shot(clerk, "visit-intake")
    with runtime.db.read() as session:
        _version, form = runtime.intake_form(session.connection(), "retirement")
    data = answer(form.schema, {"applicant_id_type": "resident_id", "applicant_id_no": "420105198001011230",
                                "applicant_name": "张三", "applicant_mobile": "13800138000",
                                "delivery_method": "ems"}, random.Random(7))
    fill_form(clerk, form.fields(), data)
    for select in clerk.locator("select[name^='material.']").all():
        select.select_option("received")
    clerk.click("form.case-form button.primary")
    clerk.wait_for_url("**/receipt")
    reference = clerk.locator(".summary .ref").inner_text()

    applicant.goto(base + "/my")
    assert reference in applicant.content()
    shot(applicant, "visit-case-in-my")
    applicant.goto(visit_url)
    assert reference in applicant.content()
    shot(applicant, "visit-applicant-view")
    applicant.goto(f"{base}/lang/en?next=/my/visits/{visit_id}")
    assert applicant.locator("html").get_attribute("lang") == "en"  # new texts are English once merged
    shot(applicant, "visit-applicant-view-en")
    with runtime.db.read() as session:
        case = session.query(Case).filter_by(reference=reference).one()
        assert case.applicant_id is not None


def test_the_video_inspection_page(hall):  # noqa: F811
    base, browser, app = hall
    from web import get_runtime

    runtime = on_clock(get_runtime(app), datetime(2026, 12, 1, 10, 0, tzinfo=BEIJING))  # a Tuesday
    walk = start(runtime, load_intake("restaurant"), has_company=True, uscc="91420103MA4KXXXX0Q", has_sign=False,
                 discharge_to_sewer=False, area_m2=120, remote_inspection=True)
    walk.complete("Task_FoodReview", decision="approve", inspection_mode="video")
    reviewer = page_as(browser, base, "rev_sj")
    booking = walk.item("Task_VideoBooking:food")
    reviewer.goto(f"{base}/cases/{walk.case_id}/tasks/{booking.task_id}")
    reviewer.check("input[name='inspectors'][value='rev_sj']")  # one is not enough
    reviewer.fill("[name='slot_start']", "2026-12-03T10:00")
    reviewer.fill("[name='slot_minutes']", "30")
    reviewer.fill("[name='meeting_ref']", "VC-2026-1203-01")
    reviewer.click("form.case-form button.primary")
    reviewer.wait_for_load_state()
    assert reviewer.locator(".field.invalid[data-field='inspectors']").count() == 1
    reviewer.check("input[name='inspectors'][value='rev_sj2']")
    shot(reviewer, "video-booking")
    reviewer.click("form.case-form button.primary")
    reviewer.wait_for_url("**/queue")

    item = walk.item("Task_VideoInspection:food")
    reviewer.goto(f"{base}/cases/{walk.case_id}/tasks/{item.task_id}")
    checklist = dict.fromkeys(("premises", "facilities", "safety", "records"), "pass") | {"hygiene": "rectify"}
    with runtime.db.read() as session:
        compiled = runtime.compiled_by_version(session.connection(), walk.case().process_version_id)
    form = compiled.forms.get("video_inspection")
    fill_form(reviewer, form.fields(), {
        "checklist": checklist, "conclusion": "rectify", "recording_ref": "REC-0001",
        "recording_file": {"name": "勘验录像.mp4", "mimeType": "video/mp4", "buffer": MP4},
        "recording_sha256": "00" * 32, "recording_started_at": "2026-12-03T10:02",
        "recording_ended_at": "2026-12-03T10:25", "findings": "后厨地面破损", "rectification_working_days": 5,
        "reason": "修补后厨地面"})
    shot(reviewer, "video-inspection")
    reviewer.click("form.case-form button.primary")
    reviewer.wait_for_url("**/queue")
    food = walk.data()["approvals"]["food"]
    first = food["video_rounds"][0]
    assert first["recording_sha256"] == hashlib.sha256(MP4).hexdigest()  # the server's, not what was typed
    assert first["conclusion"] == "rectify" and first["rectification_deadline"] == "2026-12-08"
    assert "Task_VideoBooking:food" not in walk.open_tasks()  # the rectification period runs (a timer)
    assert walk.wait_for_timer() == datetime(2026, 12, 8, 18, 0, tzinfo=BEIJING)
    assert "Task_VideoBooking:food" in walk.open_tasks()  # the re-check
    reviewer.goto(f"{base}/lang/en?next=/cases/{walk.case_id}/tasks/{walk.item('Task_VideoBooking:food').task_id}")
    shot(reviewer, "video-recheck-booking-en")
    assert isinstance(walk, Walker)
