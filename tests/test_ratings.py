"""好差评 in the engine: once per case; a 差评 opens one rectification per
handling department with working-day deadlines; callback before outcome;
the outcome closes it and tells the applicant; appeals decided both ways;
overdue rectifications escalated once; unrated cases get the default once."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine.jobs import sweep
from engine.ratings.appeals import decide_appeal, file_appeal
from engine.ratings.recording import AlreadyRated, rate_case
from engine.ratings.rectifications import handling_departments, record_callback, record_outcome
from engine.ratings.summary import by_department
from engine.runtime.errors import Conflict, Forbidden, InvalidData, NotFound
from engine.workcalendar import add_working_days
from models import Case, CaseEvent, Notification, Rating, RatingAppeal, Rectification
from tests.rating_cases import START, delivered_case, started_case, user_id

ONLINE = {"efficiency": 2, "guide_accuracy": 3, "convenience": 2, "usability": 4}
RATED_AT = START + timedelta(days=3)


def rate(db, case_id, score, who="company", **kw):
    return rate_case(db, case_id, user_id(db, who), score, kw.pop("indicators", ONLINE), kw.pop("comment", "等太久"),
                     now=kw.pop("now", RATED_AT), **kw)


def rects(db, case_id):
    with db.read() as session:
        return {r.department_code: r for r in session.scalars(select(Rectification)
                                                              .where(Rectification.case_id == case_id))}


def inbox(db, username):
    with db.read() as session:
        return [n.title for n in session.scalars(select(Notification).where(
            Notification.user_id == user_id(db, username)).order_by(Notification.id))]


def test_a_case_is_rated_once(db):
    case_id = delivered_case(db)
    rating_id = rate(db, case_id, 5, indicators={k: 5 for k in ONLINE})
    with pytest.raises(AlreadyRated):
        rate(db, case_id, 1)
    with db.read() as session:
        rating = session.get(Rating, rating_id)
        assert (rating.score, rating.channel, rating.is_default) == (5, "online", False)
        assert session.scalar(select(CaseEvent.kind).where(CaseEvent.case_id == case_id)
                              .order_by(CaseEvent.id.desc())) == "rated"
    assert rects(db, case_id) == {}  # a good rating opens nothing


def test_the_unique_constraint_backs_the_check(db):
    case_id = delivered_case(db)
    rate(db, case_id, 4)
    from sqlalchemy.exc import IntegrityError
    with pytest.raises(IntegrityError):
        with db.write() as session:
            session.add(Rating(case_id=case_id, channel="online", score=3, indicators={}, comment=""))


def test_who_may_rate_and_when(db):
    case_id = delivered_case(db)
    with pytest.raises(NotFound):
        rate(db, case_id, 1, who="applicant")  # not their case: it does not exist for them
    with pytest.raises(NotFound):
        rate(db, case_id, 1, who="clerk")  # staff rate on site only
    with pytest.raises(InvalidData) as bad:
        rate(db, case_id, 6, indicators={"efficiency": 0})
    assert {"score", "efficiency", "guide_accuracy"} <= set(bad.value.errors)
    running = started_case(db).case_id
    with pytest.raises(Conflict):
        rate(db, running, 3)
    # A rejected case may be rated too.
    assert rate(db, delivered_case(db, decision="reject"), 2)


def test_the_window_records_an_on_site_rating(db):
    case_id = delivered_case(db)
    offline = {"service_efficiency": 5, "service_level": 4, "attitude": 5}
    with pytest.raises(Forbidden):
        rate_case(db, case_id, user_id(db, "rev_sj"), 5, offline, channel="onsite", now=RATED_AT)
    rating_id = rate_case(db, case_id, user_id(db, "clerk"), 5, offline, "很好", channel="onsite", now=RATED_AT)
    with db.read() as session:
        rating = session.get(Rating, rating_id)
        assert rating.channel == "onsite" and rating.indicators == offline
        assert rating.recorded_by_id == user_id(db, "clerk") and rating.applicant_id == user_id(db, "company")


def test_a_bad_rating_opens_a_rectification_per_handling_department(db):
    case_id = delivered_case(db)
    with db.read() as session:
        assert handling_departments(session, case_id) == ["CK", "HB", "SJ"]
    rate(db, case_id, 2)
    opened = rects(db, case_id)
    assert set(opened) == {"CK", "HB", "SJ"}
    sj = opened["SJ"]
    assert sj.status == "open"
    assert sj.deadline_at == add_working_days(RATED_AT, 15)
    assert sj.verify_by == add_working_days(RATED_AT, 1)
    # Thursday 5 June 2025 + 15 working days = Thursday 26 June, 18:00 Beijing.
    assert sj.deadline_at == datetime(2025, 6, 26, 10, 0, tzinfo=timezone.utc)
    assert inbox(db, "rev_sj")[-1].startswith("差评整改")
    assert inbox(db, "rev_hb")[-1].startswith("差评整改")
    assert not any(t.startswith("差评整改") for t in inbox(db, "rev_xf"))


def test_callback_then_outcome_closes_and_tells_the_applicant(db):
    case_id = delivered_case(db)
    rate(db, case_id, 1)
    sj = rects(db, case_id)["SJ"]
    reviewer = user_id(db, "rev_sj")
    with pytest.raises(NotFound):
        record_callback(db, sj.id, user_id(db, "rev_hb"), "试图回访")  # another department
    with pytest.raises(Conflict):
        record_outcome(db, sj.id, reviewer, "immediate", "已整改")  # no callback yet
    later = RATED_AT + timedelta(hours=3)
    record_callback(db, sj.id, reviewer, "已电话联系李四，了解到等待时间过长", now=later)
    with pytest.raises(Conflict):
        record_callback(db, sj.id, reviewer, "再次回访")
    with pytest.raises(InvalidData):
        record_outcome(db, sj.id, reviewer, "logged", "需调整排班")  # a logged fix needs its date
    record_outcome(db, sj.id, reviewer, "logged", "调整窗口排班", due_on=date(2025, 6, 20), now=later)
    closed = rects(db, case_id)["SJ"]
    assert (closed.status, closed.outcome, closed.outcome_due_on) == ("closed", "logged", date(2025, 6, 20))
    assert closed.callback_by_id == reviewer and closed.callback_at == later
    assert inbox(db, "company")[-1].startswith("您的评价已处理")
    with pytest.raises(Conflict):
        record_outcome(db, sj.id, reviewer, "immediate", "又一次")
    with db.read() as session:
        kinds = [e.kind for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id))]
    assert {"rectification_opened", "rectification_callback", "rectification_closed"} <= set(kinds)


def test_appeal_upheld_keeps_the_rating(db):
    case_id = delivered_case(db)
    rating_id = rate(db, case_id, 1)
    hb = rects(db, case_id)["HB"]
    appeal_id = file_appeal(db, hb.id, user_id(db, "rev_hb"), "申请人误评", now=RATED_AT)
    assert inbox(db, "supervisor")[-1].startswith("差评申诉待复核")
    with pytest.raises(Conflict):
        file_appeal(db, hb.id, user_id(db, "rev_hb"), "再申诉一次")
    with pytest.raises(Forbidden):
        decide_appeal(db, appeal_id, user_id(db, "rev_hb"), grant=True)
    decide_appeal(db, appeal_id, user_id(db, "supervisor"), grant=False, note="评价有事实依据")
    with pytest.raises(Conflict):
        decide_appeal(db, appeal_id, user_id(db, "supervisor"), grant=True)
    with db.read() as session:
        assert session.get(RatingAppeal, appeal_id).status == "upheld"
        assert session.get(Rating, rating_id).excluded is False
    assert rects(db, case_id)["HB"].status == "open"
    assert inbox(db, "rev_hb")[-1].endswith("维持原评价")


def test_appeal_granted_excludes_the_rating_from_scoring(db):
    case_id = delivered_case(db)
    rating_id = rate(db, case_id, 1)
    opened = rects(db, case_id)
    reviewer = user_id(db, "rev_sj")
    record_callback(db, opened["SJ"].id, reviewer, "已回访")
    record_outcome(db, opened["SJ"].id, reviewer, "explained", "已解释")
    appeal_id = file_appeal(db, opened["HB"].id, user_id(db, "rev_hb"), "恶意差评")
    with db.read() as session:
        before = {s.code: s for s in by_department(session)}
    assert before["SJ"].ratings == 1 and before["SJ"].average == 1.0
    assert before["SJ"].bad == 1 and before["SJ"].callback_rate == 1.0
    assert before["HB"].callback_rate == 0.0
    decide_appeal(db, appeal_id, user_id(db, "supervisor"), grant=True, note="经核实为恶意评价")
    with db.read() as session:
        rating = session.get(Rating, rating_id)
        assert rating.excluded is True and rating.excluded_at is not None
        after = {s.code: s for s in by_department(session)}
    statuses = {code: r.status for code, r in rects(db, case_id).items()}
    assert statuses == {"SJ": "closed", "HB": "annulled", "CK": "annulled"}
    assert "SJ" not in after or after["SJ"].ratings == 0  # no longer counted
    assert after["SJ"].bad == 1  # the closed rectification stays on record
    assert "HB" not in after  # annulled: neither rating nor rectification counts


def test_overdue_rectifications_are_escalated_once(db):
    case_id = delivered_case(db)
    rate(db, case_id, 2)
    deadline = rects(db, case_id)["SJ"].deadline_at
    assert sweep(db, now=deadline - timedelta(minutes=1), only=("ratings_escalate_overdue",)) == {
        "ratings_escalate_overdue": 0}
    reviewer = user_id(db, "rev_hb")
    record_callback(db, rects(db, case_id)["HB"].id, reviewer, "已回访")
    record_outcome(db, rects(db, case_id)["HB"].id, reviewer, "immediate", "已立行立改")
    late = deadline + timedelta(hours=1)
    assert sweep(db, now=late, only=("ratings_escalate_overdue",))["ratings_escalate_overdue"] == 2  # SJ, CK
    assert sweep(db, now=late + timedelta(days=1), only=("ratings_escalate_overdue",))[
        "ratings_escalate_overdue"] == 0
    escalated = {code: r.escalated_at for code, r in rects(db, case_id).items()}
    assert escalated["SJ"] == late and escalated["CK"] == late and escalated["HB"] is None
    assert sum(t.startswith("差评整改逾期") for t in inbox(db, "supervisor")) == 2


def test_unrated_cases_get_the_default_rating_once(db):
    case_id = delivered_case(db)
    rated = delivered_case(db)
    rate(db, rated, 5, indicators={k: 5 for k in ONLINE})
    with db.read() as session:
        closed_at = session.get(Case, case_id).closed_at
    early = closed_at + timedelta(days=14)
    assert sweep(db, now=early, only=("ratings_default",)) == {"ratings_default": 0}
    due = closed_at + timedelta(days=15, minutes=1)
    assert sweep(db, now=due, only=("ratings_default",)) == {"ratings_default": 1}
    assert sweep(db, now=due + timedelta(days=1), only=("ratings_default",)) == {"ratings_default": 0}
    with db.read() as session:
        rating = session.scalar(select(Rating).where(Rating.case_id == case_id))
    assert (rating.score, rating.channel, rating.is_default) == (4, "default", True)
    with pytest.raises(AlreadyRated):
        rate(db, case_id, 1)


def test_the_dashboard_counts_ratings_for_the_departments_that_handled_the_case(db):
    from engine.dashboard.ratings import ratings_between

    case_id = delivered_case(db)
    rate(db, case_id, 1)
    with db.transaction() as conn:
        figures = ratings_between(conn, RATED_AT - timedelta(days=1), RATED_AT + timedelta(days=1))
        assert figures["SJ"].count == 1 and figures["SJ"].average == 1.0 and figures["SJ"].bad == 1
        assert figures["SJ"].score == 0
        assert ratings_between(conn, RATED_AT + timedelta(days=1), RATED_AT + timedelta(days=2)) == {}
