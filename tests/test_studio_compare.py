"""The studio's compare and migrate pages (web/studio/compare_routes.py,
migrate_routes.py): what changed between two versions or the draft, listed
and marked for the diagrams; running cases on an older version checked and
moved one by one, refused with the reason where a token would be stranded."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from engine.studio import drafts
from models import CaseEvent
from tests.edited_versions import (BRANCH_AFTER_SPLIT, RENAME_AND_ADD, RENAMED_ENV, active_version, case_row,
                                   deploy_edited)
from tests.studio_helpers import renamed_food_review, user
from tests.walk import start
from tests.web_helpers import signed_in, token_of

pytestmark = pytest.mark.usefixtures("restore_versions")
HAS_COMPANY = dict(has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False,
                   discharge_to_sewer=False, remote_inspection=False)


def test_two_versions_compared_in_a_table_and_marked_for_the_diagram(app, db):
    v1 = active_version(db, "restaurant")
    v2 = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    designer = signed_in(app, "designer")
    page = designer.get("/studio/restaurant/compare").get_data(as_text=True)  # default: the one before → active
    assert f'<option value="{v1.version}" selected' in page and f'<option value="{v2.version}" selected' in page
    added = re.search(r'<tr class="diff-added" data-element="Task_Archive">.*?</tr>', page, re.S).group(0)
    assert "新增" in added
    changed = re.search(r'<tr class="diff-changed" data-element="Task_Env">.*?</tr>', page, re.S).group(0)
    assert "<strong>name</strong>" in changed and RENAMED_ENV in changed
    data = designer.get(f"/studio/restaurant/compare.json?from={v1.version}&to={v2.version}").get_json()
    new_side = data["diagrams"][0]
    assert new_side["side"] == "new" and new_side["marks"]["Task_Archive"] == "added"
    assert new_side["marks"]["Task_Env"] == "changed" and 'id="Task_Archive"' in new_side["xml"]
    assert all(d["side"] == "old" and "Task_Archive" not in d["marks"] for d in data["diagrams"][1:])
    # The same two the other way round: the task is removed, marked on the old side.
    back = designer.get(f"/studio/restaurant/compare.json?from={v2.version}&to={v1.version}").get_json()
    assert {d["side"]: d["marks"].get("Task_Archive") for d in back["diagrams"]}["old"] == "removed"


def test_the_draft_is_compared_with_the_active_version_before_it_is_deployed(app, db):
    with db.write() as session:
        designer_user = user(session, "designer")
        draft = drafts.open_draft(session, "restaurant", designer_user)
        path = next(p for p in draft.files if p.endswith(".bpmn"))
        drafts.save_files(session, "restaurant", {path: renamed_food_review(draft.files[path])}, draft.revision,
                          designer_user)
    page = signed_in(app, "designer").get("/studio/restaurant/compare").get_data(as_text=True)
    assert '<option value="draft" selected' in page
    row = re.search(r'<tr class="diff-changed" data-element="Task_FoodReview">.*?</tr>', page, re.S).group(0)
    assert "食品经营许可 材料审核（新）" in row
    assert "新增 0" in page and "删除 0" in page


@pytest.mark.parametrize("username", ["clerk", "supervisor", "rev_sj", "applicant"])
def test_only_designers_compare_and_migrate(app, username):
    client = signed_in(app, username)
    assert client.get("/studio/restaurant/compare").status_code == 403
    assert client.get("/studio/restaurant/migrate").status_code == 403
    assert client.post("/studio/restaurant/migrate", data={"target": 1, "case": 1}).status_code in (400, 403)


def test_unknown_sides_are_clear(app, db):
    designer = signed_in(app, "designer")
    assert designer.get("/studio/nosuch/compare").status_code == 404
    assert designer.get("/studio/restaurant/compare?from=99&to=1").status_code == 404
    response = designer.get("/studio/restaurant/compare?from=x&to=1")
    assert response.status_code == 422 and "neither a version number nor the draft" in response.get_data(as_text=True)


def test_running_cases_are_checked_and_the_chosen_moved_or_refused_with_the_reason(app, db, runtime, intake):
    fired = start(runtime, intake, **HAS_COMPANY)  # its parallel approvals already started
    waiting = start(runtime, intake)  # still in the company set-up block, before the split
    v2 = deploy_edited(db, "restaurant", BRANCH_AFTER_SPLIT)
    designer = signed_in(app, "designer")
    page = designer.get("/studio/restaurant/migrate").get_data(as_text=True)
    fired_ref, waiting_ref = case_row(db, fired.case_id).reference, case_row(db, waiting.case_id).reference
    fired_row = re.search(rf'<tr class="blocked" data-case="{fired_ref}">.*?</tr>', page, re.S).group(0)
    assert "不能迁移" in fired_row and "Gateway_PermitSplit" in fired_row and "disabled" in fired_row
    assert re.search(rf'<tr class="ok" data-case="{waiting_ref}">', page)
    assert "张三" not in page  # a designer moves cases without seeing who applied
    form = {"csrf_token": token_of(page), "target": v2.id, "to": v2.version,
            "case": [fired.case_id, waiting.case_id],
            f"expected_{fired.case_id}": case_row(db, fired.case_id).version,
            f"expected_{waiting.case_id}": case_row(db, waiting.case_id).version}
    assert designer.post("/studio/restaurant/migrate", data={**form, "csrf_token": ""}).status_code == 400
    done = designer.post("/studio/restaurant/migrate", data=form, follow_redirects=True).get_data(as_text=True)
    assert f"已将 1 件迁移到第 {v2.version} 版：{waiting_ref}" in done
    assert f"{fired_ref} 未迁移" in done and "Gateway_PermitSplit" in done
    assert case_row(db, waiting.case_id).process_version_id == v2.id
    assert case_row(db, fired.case_id).process_version_id != v2.id
    with db.read() as session:
        event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == waiting.case_id,
                                                       CaseEvent.kind == "migrated"))
        assert event.payload["to_version"] == v2.version and event.actor_name == "designer"
    # The page now lists only the case left behind.
    after = designer.get("/studio/restaurant/migrate").get_data(as_text=True)
    assert fired_ref in after and waiting_ref not in after


def test_every_movable_case_on_the_page_moves_at_once(app, db, runtime, intake):
    fired = start(runtime, intake, **HAS_COMPANY)
    waiting = [start(runtime, intake) for _ in range(2)]
    v2 = deploy_edited(db, "restaurant", BRANCH_AFTER_SPLIT)
    designer = signed_in(app, "designer")
    page = designer.get("/studio/restaurant/migrate").get_data(as_text=True)
    assert "迁移本页全部可迁移的 2 件" in page
    form = {"csrf_token": token_of(page), "target": v2.id, "to": v2.version, "all": "1",
            "movable": [w.case_id for w in waiting]}
    done = designer.post("/studio/restaurant/migrate", data=form, follow_redirects=True).get_data(as_text=True)
    assert f"已将 2 件迁移到第 {v2.version} 版" in done and "未迁移" not in done
    assert all(case_row(db, w.case_id).process_version_id == v2.id for w in waiting)
    assert case_row(db, fired.case_id).process_version_id != v2.id


def test_a_case_changed_since_the_check_is_not_moved(app, db, runtime, intake):
    waiting = start(runtime, intake)
    v2 = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    designer = signed_in(app, "designer")
    page = designer.get("/studio/restaurant/migrate").get_data(as_text=True)
    seen = case_row(db, waiting.case_id).version
    waiting.complete("Task_Registration", decision="approve")  # the case moves on meanwhile
    done = designer.post("/studio/restaurant/migrate", data={
        "csrf_token": token_of(page), "target": v2.id, "to": v2.version, "case": [waiting.case_id],
        f"expected_{waiting.case_id}": seen}, follow_redirects=True).get_data(as_text=True)
    assert "未迁移" in done and "changed since it was checked" in done
    assert case_row(db, waiting.case_id).process_version_id != v2.id
