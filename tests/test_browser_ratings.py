"""好差评 and 绿色通道 in a real browser: the applicant rates a delivered case
badly from /my; the handling department finds the rectification, records
the callback and the outcome; the applicant is told in the inbox and sees
the outcome. The supervisor's pages (appeal, summary, key-project list) and
the steward's cases, with screenshots in Chinese and English."""
from __future__ import annotations

import pytest

from engine.green_channel.projects import save_project
from engine.ratings.appeals import file_appeal
from tests.browser import shot
from tests.rating_cases import delivered_case, started_case, user_id
from tests.test_browser import hall, page_as  # noqa: F401  (the live-server fixture)
from web import get_db

pytestmark = pytest.mark.browser


def test_a_bad_rating_and_the_rectification_that_follows(hall):  # noqa: F811
    base, browser, app = hall
    db = get_db(app)
    case_id = delivered_case(db)

    applicant = page_as(browser, base, "company")
    applicant.goto(base + "/my")
    applicant.click(f"a[href='/my/cases/{case_id}/rating']")
    for field, score in (("score", 1), ("efficiency", 1), ("guide_accuracy", 2), ("convenience", 1),
                         ("usability", 3)):
        applicant.check(f"input[name='{field}'][value='{score}']")
    applicant.fill("textarea[name='comment']", "材料被反复退回，窗口没有一次性告知")
    shot(applicant, "rating-form")
    applicant.click("input[type=submit][name=submit]")
    applicant.wait_for_load_state()
    assert "感谢您的评价" in applicant.content()
    assert "整改中" in applicant.content()
    shot(applicant, "rating-done")

    reviewer = page_as(browser, base, "rev_sj")
    reviewer.goto(base + "/rectifications")
    shot(reviewer, "rectifications-sj")
    reviewer.locator("table.rectifications tr", has_text="SJ").locator("a").first.click()
    reviewer.fill(".callback-form textarea[name='note']", "已电话联系经办人李四，说明退件原因并致歉")
    reviewer.click(".callback-form input[type=submit]")
    reviewer.wait_for_load_state()
    assert "已记录回访" in reviewer.content()
    reviewer.check(".outcome-form input[name='outcome'][value='immediate']")
    reviewer.fill(".outcome-form textarea[name='note']", "已制定一次性告知清单，窗口当日起执行")
    shot(reviewer, "rectification-outcome-form")
    reviewer.click(".outcome-form input[type=submit]")
    reviewer.wait_for_load_state()
    assert "整改已办结" in reviewer.content()
    shot(reviewer, "rectification-closed")

    applicant.goto(base + "/inbox")
    assert "您的评价已处理" in applicant.content()
    applicant.locator(".inbox li", has_text="您的评价已处理").locator("button").first.click()
    applicant.wait_for_url(f"**/my/cases/{case_id}/rating")
    assert "立行立改" in applicant.content() and "已制定一次性告知清单" in applicant.content()
    shot(applicant, "rating-outcome-seen")


def test_the_supervisor_and_steward_pages(hall):  # noqa: F811
    base, browser, app = hall
    db = get_db(app)
    save_project(db, user_id(db, "supervisor"), name="江汉路步行街美食街区改造", level="district",
                 applicant_key="91420103MA4K0JH0WD", steward_id=user_id(db, "rev_sj2"), note="区重点招商项目")
    case_id = delivered_case(db)
    from engine.ratings.recording import rate_case
    from engine.ratings.rectifications import handling_departments  # noqa: F401

    rate_case(db, case_id, user_id(db, "company"), 2,
              {"efficiency": 2, "guide_accuracy": 2, "convenience": 2, "usability": 3}, "等待时间太长")
    from sqlalchemy import select

    from models import Rectification
    with db.read() as session:
        hb = session.scalar(select(Rectification.id).where(Rectification.department_code == "HB"))
    file_appeal(db, hb, user_id(db, "rev_hb"), "申请人所述等待发生在其他窗口，与本部门无关")
    started_case(db)

    supervisor = page_as(browser, base, "supervisor")
    supervisor.goto(base + "/rectifications")
    assert "待复核的申诉" in supervisor.content()
    shot(supervisor, "rectifications-supervisor")
    supervisor.goto(f"{base}/rectifications/{hb}")
    supervisor.check(".decision-form input[name='decision'][value='uphold']")
    supervisor.fill(".decision-form textarea[name='note']", "经调取录像，等待发生在本部门窗口")
    shot(supervisor, "appeal-decision")
    supervisor.click(".decision-form input[type=submit]")
    supervisor.wait_for_load_state()
    assert "维持原评价" in supervisor.content()
    supervisor.goto(base + "/ratings/summary")
    shot(supervisor, "ratings-summary")
    supervisor.goto(base + "/key-projects")
    assert "江汉路步行街美食街区改造" in supervisor.content()
    shot(supervisor, "key-projects")
    supervisor.goto(base + "/key-projects/new")
    shot(supervisor, "key-project-form")
    supervisor.goto(base + "/lang/en?next=/ratings/summary")
    shot(supervisor, "ratings-summary-en")
    supervisor.goto(base + "/key-projects")
    shot(supervisor, "key-projects-en")

    steward = page_as(browser, base, "rev_sj2")
    steward.goto(base + "/key-projects/my-cases")
    assert "江汉路步行街美食街区改造" in steward.content()
    shot(steward, "steward-cases")
    steward.goto(base + "/queue")
    shot(steward, "queue-key-project-first")
    applicant = page_as(browser, base, "company")
    applicant.goto(base + "/lang/en?next=/my")
    shot(applicant, "my-cases-en")
    applicant.goto(f"{base}/my/cases/{case_id}/rating")
    shot(applicant, "rating-shown-en")


def test_a_logged_fix_reported_overdue_then_recorded(hall):  # noqa: F811
    """建立台账、限期整改 past its date: the sweep reports it; the department
    finds the red badge, records the fix, and the page says it came late."""
    from datetime import date, datetime, timezone

    from sqlalchemy import select

    from engine.jobs import sweep
    from engine.ratings.rectifications import record_callback, record_outcome
    from engine.ratings.recording import rate_case
    from models import Rectification

    base, browser, app = hall
    db = get_db(app)
    case_id = delivered_case(db)
    rate_case(db, case_id, user_id(db, "company"), 1,
              {"efficiency": 1, "guide_accuracy": 2, "convenience": 1, "usability": 2}, "午间无人办理")
    with db.read() as session:
        sj = session.scalar(select(Rectification.id).where(Rectification.case_id == case_id,
                                                           Rectification.department_code == "SJ"))
    reviewer_id = user_id(db, "rev_sj")
    record_callback(db, sj, reviewer_id, "已电话联系申请人，致歉并说明午间值班安排")
    record_outcome(db, sj, reviewer_id, "logged", "建立台账：调整午间窗口排班", due_on=date(2025, 6, 20))
    sweep(db, now=datetime(2025, 6, 21, 1, tzinfo=timezone.utc), only=("ratings_logged_fix_overdue",))

    reviewer = page_as(browser, base, "rev_sj")
    reviewer.goto(base + "/rectifications")
    assert "限期整改已逾期 2025-06-20" in reviewer.content()
    shot(reviewer, "rectifications-fix-overdue")
    reviewer.goto(f"{base}/rectifications/{sj}")
    assert "逾期已上报" in reviewer.content()
    reviewer.fill(".fix-form textarea[name='note']", "6月23日起午间增设一个综合窗口，已排班到年底")
    shot(reviewer, "rectification-fix-form")
    reviewer.click(".fix-form input[type=submit]")
    reviewer.wait_for_load_state()
    assert "已记录整改完成" in reviewer.content() and "逾期后整改完成" in reviewer.content()
    shot(reviewer, "rectification-fixed")
    reviewer.goto(f"{base}/lang/en?next=/rectifications/{sj}")
    assert "Fixed after its date" in reviewer.content()
    shot(reviewer, "rectification-fixed-en")
