"""The follow-up of a "logged" rectification (建立台账、限期整改): its
department records the fix as done, once, and the applicant is told; the
sweep reports a fix not done by the end of its date (Beijing) to the
supervisor and the department, once; the page shows the date, the state and
the form, to the department only."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine.jobs import sweep
from engine.ratings.recording import rate_case
from engine.ratings.rectifications import fix_state, record_callback, record_fix, record_outcome
from engine.runtime.errors import Conflict, InvalidData, NotFound
from models import Case, CaseEvent, Notification, Rectification
from tests.rating_cases import START, delivered_case, user_id
from tests.web_helpers import signed_in, token_of

ONLINE = {"efficiency": 2, "guide_accuracy": 3, "convenience": 2, "usability": 4}
RATED_AT = START + timedelta(days=3)  # Thursday 5 June 2025, 10:00 Beijing
CLOSED_AT = RATED_AT + timedelta(hours=3)
DUE_ON = date(2025, 6, 20)
# 23:59 and 00:01 in Beijing around the end of DUE_ON; both still 20 June in UTC.
LAST_MINUTE = datetime(2025, 6, 20, 15, 59, tzinfo=timezone.utc)
NEXT_DAY = datetime(2025, 6, 20, 16, 1, tzinfo=timezone.utc)
JOB = "ratings_logged_fix_overdue"


def rated_badly(db) -> tuple[int, dict[str, int]]:
    """A delivered case rated ★1: rectifications for CK, HB and SJ."""
    case_id = delivered_case(db)
    rate_case(db, case_id, user_id(db, "company"), 1, ONLINE, "等太久", now=RATED_AT)
    with db.read() as session:
        return case_id, {r.department_code: r.id for r in session.scalars(
            select(Rectification).where(Rectification.case_id == case_id))}


def close(db, rect_id: int, reviewer: str, outcome: str = "logged", due_on: date | None = DUE_ON) -> None:
    who = user_id(db, reviewer)
    record_callback(db, rect_id, who, "已电话回访", now=RATED_AT + timedelta(hours=1))
    record_outcome(db, rect_id, who, outcome, "调整窗口排班", due_on=due_on if outcome == "logged" else None,
                   now=CLOSED_AT)


def rect(db, rect_id: int) -> Rectification:
    with db.read() as session:
        return session.get(Rectification, rect_id)


def inbox(db, username: str) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Notification.title).where(
            Notification.user_id == user_id(db, username)).order_by(Notification.id)))


def rect_reference(db, case_id: int) -> str:
    with db.read() as session:
        return session.get(Case, case_id).reference


def events(db, case_id: int, kind: str) -> list[CaseEvent]:
    with db.read() as session:
        return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)))


def test_the_department_records_a_logged_fix_once(db):
    case_id, rects = rated_badly(db)
    sj, hb, ck = rects["SJ"], rects["HB"], rects["CK"]
    reviewer = user_id(db, "rev_sj")
    with pytest.raises(Conflict):
        record_fix(db, sj, reviewer, "已整改")  # still open: no logged outcome yet
    close(db, sj, "rev_sj")
    close(db, hb, "rev_hb", outcome="immediate")
    assert fix_state(rect(db, sj), CLOSED_AT) == "pending"
    with pytest.raises(NotFound):
        record_fix(db, sj, user_id(db, "rev_hb"), "别的部门")  # another department
    with pytest.raises(NotFound):
        record_fix(db, sj, user_id(db, "supervisor"), "督查代办")  # the supervisor oversees, does not fix
    with pytest.raises(NotFound):
        record_fix(db, sj, user_id(db, "company"), "申请人")
    with pytest.raises(Conflict):
        record_fix(db, hb, user_id(db, "rev_hb"), "已整改")  # 立行立改: nothing logged to follow up
    with pytest.raises(InvalidData):
        record_fix(db, sj, reviewer, "   ")
    with pytest.raises(NotFound):
        record_fix(db, ck, reviewer, "不是本部门的")

    done_at = datetime(2025, 6, 18, 2, 0, tzinfo=timezone.utc)
    record_fix(db, sj, reviewer, "窗口排班已调整，午间增设一个窗口", now=done_at)
    fixed = rect(db, sj)
    assert (fixed.fixed_at, fixed.fixed_by_id, fixed.fixed_note) == (done_at, reviewer, "窗口排班已调整，午间增设一个窗口")
    assert fix_state(fixed, NEXT_DAY) == "fixed"  # done in time stays done in time
    with pytest.raises(Conflict):
        record_fix(db, sj, reviewer, "再记一次")
    [event] = events(db, case_id, "rectification_fixed")
    assert (event.department_code, event.payload) == ("SJ", {"rectification": sj, "due_on": "2025-06-20",
                                                             "late": False})
    assert inbox(db, "company")[-1] == f"整改已完成：{rect_reference(db, case_id)}"
    assert not any(t.startswith("逾期整改已完成") for t in inbox(db, "supervisor"))  # it was never overdue


def test_an_overdue_fix_is_reported_once_and_only_after_its_day(db):
    case_id, rects = rated_badly(db)
    sj, hb, ck = rects["SJ"], rects["HB"], rects["CK"]
    close(db, sj, "rev_sj")
    close(db, hb, "rev_hb")
    close(db, ck, "clerk", outcome="immediate")
    record_fix(db, hb, user_id(db, "rev_hb"), "已完成", now=datetime(2025, 6, 19, 2, tzinfo=timezone.utc))

    assert sweep(db, now=LAST_MINUTE, only=(JOB,)) == {JOB: 0}  # 23:59 on the day: still in time
    assert fix_state(rect(db, sj), LAST_MINUTE) == "pending"
    assert sweep(db, now=NEXT_DAY, only=(JOB,)) == {JOB: 1}  # SJ only: HB was fixed, CK fixed at once
    assert sweep(db, now=NEXT_DAY + timedelta(days=1), only=(JOB,)) == {JOB: 0}
    assert (rect(db, sj).fix_escalated_at, rect(db, hb).fix_escalated_at, rect(db, ck).fix_escalated_at) == (
        NEXT_DAY, None, None)
    assert fix_state(rect(db, sj), NEXT_DAY) == "overdue"
    [event] = events(db, case_id, "rectification_fix_overdue")
    assert (event.department_code, event.payload) == ("SJ", {"rectification": sj, "due_on": "2025-06-20"})
    title = f"台账整改逾期：{rect_reference(db, case_id)}"
    assert inbox(db, "supervisor").count(title) == 1
    assert inbox(db, "rev_sj").count(title) == 1
    assert title not in inbox(db, "rev_hb")

    # Fixed late: recorded as such, and the supervisor who was told hears of it.
    late = NEXT_DAY + timedelta(days=2)
    record_fix(db, sj, user_id(db, "rev_sj"), "已完成整改", now=late)
    assert fix_state(rect(db, sj), late) == "fixed_late"
    assert events(db, case_id, "rectification_fixed")[-1].payload["late"] is True
    assert inbox(db, "supervisor")[-1] == f"逾期整改已完成：{rect_reference(db, case_id)}"
    assert sweep(db, now=late, only=(JOB,)) == {JOB: 0}


def test_a_fix_recorded_in_time_is_never_reported(db):
    case_id, rects = rated_badly(db)
    close(db, rects["SJ"], "rev_sj")
    record_fix(db, rects["SJ"], user_id(db, "rev_sj"), "已完成", now=LAST_MINUTE)
    assert sweep(db, now=NEXT_DAY + timedelta(days=30), only=(JOB,)) == {JOB: 0}
    assert events(db, case_id, "rectification_fix_overdue") == []


# ------------------------------------------------------------ the pages

def post(client, url: str, data: dict, page_url: str):
    token = token_of(client.get(page_url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def test_the_page_shows_the_fix_and_the_department_records_it(app, db):
    case_id, rects = rated_badly(db)
    sj, hb = rects["SJ"], rects["HB"]
    close(db, sj, "rev_sj")
    close(db, hb, "rev_hb", due_on=date(2025, 6, 30))
    app.extensions["onewindow.runtime"].clock = lambda: NEXT_DAY  # SJ's day has passed, HB's has not
    page_url = f"/rectifications/{sj}"

    reviewer = signed_in(app, "rev_sj")
    page = reviewer.get(page_url).get_data(as_text=True)
    assert "限期整改已逾期" in page and "2025-06-20" in page and "fix-form" in page and "记录整改完成" in page
    listing = reviewer.get("/rectifications").get_data(as_text=True)
    assert "badge fix-overdue" in listing and "限期整改已逾期 2025-06-20" in listing
    assert "限期整改中 2025-06-30" in signed_in(app, "rev_hb").get("/rectifications").get_data(as_text=True)

    supervisor = signed_in(app, "supervisor")
    overseen = supervisor.get(page_url).get_data(as_text=True)
    assert "限期整改已逾期" in overseen and "fix-form" not in overseen and "整改部门尚未记录整改完成" in overseen
    assert post(supervisor, f"{page_url}/fix", {"note": "督查代记"}, page_url).status_code == 403
    assert post(signed_in(app, "rev_hb"), f"{page_url}/fix", {"note": "别的部门"},
                f"/rectifications/{hb}").status_code == 404
    assert reviewer.post(f"{page_url}/fix", data={"note": "没有令牌"}).status_code == 400  # CSRF
    assert rect(db, sj).fixed_at is None

    empty = post(reviewer, f"{page_url}/fix", {"note": ""}, page_url)
    assert empty.status_code == 302 and rect(db, sj).fixed_at is None
    done = post(reviewer, f"{page_url}/fix", {"note": "午间增设一个窗口，已执行"}, page_url)
    assert done.status_code == 302
    shown = reviewer.get(page_url).get_data(as_text=True)
    assert "已记录整改完成，已通知申请人" in shown
    assert "逾期后整改完成" in shown and "午间增设一个窗口，已执行" in shown and "fix-form" not in shown
    assert rect(db, sj).fixed_at == NEXT_DAY
    assert "fix-overdue" not in reviewer.get("/rectifications").get_data(as_text=True)
    # A second post (a stale tab) is refused and changes nothing.
    again = post(reviewer, f"{page_url}/fix", {"note": "再记一次"}, page_url)
    assert again.status_code == 302 and "already recorded" in reviewer.get(page_url).get_data(as_text=True)
    assert rect(db, sj).fixed_note == "午间增设一个窗口，已执行"
    # The applicant reads it on the rating page the notice links to.
    rated = signed_in(app, "company").get(f"/my/cases/{case_id}/rating").get_data(as_text=True)
    assert "午间增设一个窗口，已执行" in rated and "整改期限 2025-06-20" in rated


def test_the_english_page(app, db):
    _, rects = rated_badly(db)
    close(db, rects["SJ"], "rev_sj")
    app.extensions["onewindow.runtime"].clock = lambda: LAST_MINUTE
    reviewer = signed_in(app, "rev_sj")
    reviewer.get("/lang/en?next=/rectifications")
    page = reviewer.get(f"/rectifications/{rects['SJ']}").get_data(as_text=True)
    assert "Fix in progress" in page and "Record the fix as done" in page
    assert "限期整改中" not in page
