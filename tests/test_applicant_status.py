"""The applicant's case page: steps with promised dates, the history they
need, and the correction notice answered online so that the case resumes
(the supply task is marked onewindow:applicant in the correction block)."""
import io

import pytest
from sqlalchemy import select

from engine.runtime.errors import Forbidden
from models import Notification, StoredFile, User
from tests.walk import Walker
from tests.web_helpers import signed_in, token_of

CORRECTION_ITEMS = ["补充食品安全管理制度", "隔油池容量证明"]


def user_id(db, username):
    with db.read() as session:
        return session.scalar(select(User.id).where(User.username == username))


def case_at_correction(runtime, db, intake) -> Walker:
    """An applicant's restaurant case, walked in the back office to the
    correction supply (food review and drainage ask for corrections)."""
    data = {**intake, "has_company": True, "uscc": "91420103MA4KXXXX0Q", "has_sign": False}
    result = runtime.start_case("restaurant", data, "clerk", applicant_id=user_id(db, "company"))
    walk = Walker(runtime, result.case_id)
    walk.complete("Task_FoodReview", decision="correct", reason="缺少食品安全管理制度")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_OnsiteInspection:drainage", decision="correct", mode="on_site", reason="隔油池容量不足")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    walk.complete("Task_CorrectionNotice", items=CORRECTION_ITEMS, served_by="sms")
    assert walk.open_tasks() == {"Task_CorrectionSupply"}
    return walk


def test_the_applicant_is_told_when_the_notice_is_served(runtime, db, intake):
    walk = case_at_correction(runtime, db, intake)
    with db.read() as session:
        notes = session.scalars(select(Notification).where(Notification.user_id == user_id(db, "company"),
                                                           Notification.kind == "applicant_task")).all()
    assert len(notes) == 1
    assert notes[0].link == f"/my/cases/{walk.case_id}" and notes[0].channels == "sms"
    assert all(item in notes[0].body for item in CORRECTION_ITEMS)


def test_only_the_cases_own_applicant_and_the_window_may_supply(runtime, db, intake):
    walk = case_at_correction(runtime, db, intake)
    item = walk.item("Task_CorrectionSupply")
    supply = {"supplied": ["制度"], "supplied_on": "2026-03-02", "complete": True}
    with pytest.raises(Forbidden):
        runtime.complete_task(walk.case_id, item.task_id, supply, "applicant")  # another applicant
    with pytest.raises(Forbidden):
        runtime.complete_task(walk.case_id, item.task_id, supply, "rev_sj")
    runtime.complete_task(walk.case_id, item.task_id, supply, "clerk")  # still at the counter
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:drainage"}
    with pytest.raises(Forbidden):  # a department's task of their own case: never
        runtime.complete_task(walk.case_id, walk.item("Task_FoodReview").task_id, {"decision": "approve"},
                              user_id(db, "company"))


def test_the_status_page_lists_the_steps_with_their_dates(app, runtime, db, intake):
    walk = case_at_correction(runtime, db, intake)
    client = signed_in(app, "company")
    html = client.get(f"/my/cases/{walk.case_id}").get_data(as_text=True)
    for step in ("received", "food", "fire", "env", "drainage", "delivery"):
        assert f'data-step="{step}"' in html
    assert "step step-correct" in html and "隔油池容量不足" in html  # the drainage reason
    assert "承诺日期" in html and "时限 10 个工作日" in html  # food's legal limit
    assert "补正告知" in html and all(item in html for item in CORRECTION_ITEMS)
    assert "领取" not in html  # staff-only history (claims) is not shown
    assert f"/my/cases/{walk.case_id}" in client.get("/my").get_data(as_text=True)


def test_the_correction_answered_online_resumes_the_case(app, runtime, db, intake):
    walk = case_at_correction(runtime, db, intake)
    client = signed_in(app, "company")
    page = client.get(f"/my/cases/{walk.case_id}").get_data(as_text=True)
    response = client.post(f"/my/cases/{walk.case_id}/supply", content_type="multipart/form-data", data={
        "csrf_token": token_of(page), "supplied_on": "2026-03-02", "complete": "true",
        "file": [(io.BytesIO(b"%PDF-1.4 rules"), "食品安全管理制度.pdf"), (io.BytesIO(b"%PDF-1.4 trap"), "隔油池.pdf")]})
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    runtime.workflows.clear()
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:drainage"}
    data = walk.data()
    assert data["supplied"] == ["食品安全管理制度.pdf", "隔油池.pdf"] and data["complete"] is True
    with db.read() as session:
        files = session.scalars(select(StoredFile).where(StoredFile.case_id == walk.case_id)).all()
    assert {f.purpose for f in files} == {"correction"} and len(files) == 2
    # The reviewer of the case's department may read them; another applicant may not.
    assert signed_in(app, "rev_sj").get(f"/files/{files[0].id}").status_code == 200
    assert signed_in(app, "applicant").get(f"/files/{files[0].id}").status_code == 404
    html = client.get(f"/my/cases/{walk.case_id}").get_data(as_text=True)
    assert "补正告知" not in html and "食品安全管理制度.pdf" in html


def test_a_supply_with_errors_keeps_the_case_waiting(app, runtime, db, intake):
    walk = case_at_correction(runtime, db, intake)
    client = signed_in(app, "company")
    page = client.get(f"/my/cases/{walk.case_id}").get_data(as_text=True)
    response = client.post(f"/my/cases/{walk.case_id}/supply", data={
        "csrf_token": token_of(page), "supplied_on": "not a date", "complete": "true"})
    assert response.status_code == 422
    assert walk.open_tasks() == {"Task_CorrectionSupply"}
