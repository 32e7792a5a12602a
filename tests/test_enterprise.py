"""江汉政企通 in the engine: the sign (1 working hour) and answer (3 working
days) clocks in legal working time; sign, answer, dispatch, one transfer,
rating and one reopening; who may do what; and the escalation sweep, once
per breach even when two sweeps run at once."""
from __future__ import annotations

import threading
from datetime import datetime

import pytest
from sqlalchemy import func, select

from engine.enterprise import requests as er
from engine.enterprise.clocks import answer_due, sign_due
from engine.enterprise.escalation import escalate_breaches
from engine.jobs import sweep
from engine.runtime.errors import CommandError, Conflict, Forbidden, NotFound
from engine.workcalendar import BEIJING
from models import Case, EnterpriseEscalation, EnterpriseRequest, Notification, User


def bj(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING)


@pytest.mark.parametrize("filed, signed_by, answered_by", [
    # Tuesday before lunch: half an hour before, half an hour after the break.
    (bj(2026, 11, 24, 11, 30), bj(2026, 11, 24, 14, 0), bj(2026, 11, 27, 18, 0)),
    # 17:50: ten minutes today, fifty tomorrow morning.
    (bj(2026, 11, 24, 17, 50), bj(2026, 11, 25, 9, 50), bj(2026, 11, 27, 18, 0)),
    # The evening counts nothing.
    (bj(2026, 11, 24, 19, 0), bj(2026, 11, 25, 10, 0), bj(2026, 11, 27, 18, 0)),
    # A Saturday: from Monday; Monday is the first of the three days.
    (bj(2026, 11, 28, 10, 0), bj(2026, 11, 30, 10, 0), bj(2026, 12, 2, 18, 0)),
    # The eve of National Day: half an hour, then the week off, then 8 Oct;
    # Saturday 10 Oct is a working day (调休).
    (bj(2026, 9, 30, 17, 30), bj(2026, 10, 8, 9, 30), bj(2026, 10, 10, 18, 0)),
])
def test_the_clocks_run_in_legal_working_time(filed, signed_by, answered_by):
    assert sign_due(filed) == signed_by
    assert answer_due(filed) == answered_by


def uid(db, username) -> int:
    with db.read() as session:
        return session.scalar(select(User.id).where(User.username == username))


def who(db, username):
    with db.read() as session:
        return session.scalar(select(User).where(User.username == username))


FILED = bj(2026, 11, 24, 10, 0)  # a Tuesday morning


def file(db, department="SJ", now=FILED, **extra) -> int:
    with db.write() as session:
        req = er.file_request(session, uid(db, "company"), extra.pop("kind", "difficulty"),
                              extra.pop("subject", "门头招牌审批进度"), extra.pop("description", "招牌设置许可已提交两周。"),
                              department_code=department, now=now, **extra)
        return req.id


def load(db, request_id) -> EnterpriseRequest:
    with db.read() as session:
        return session.get(EnterpriseRequest, request_id)


def inbox(db, username) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Notification.title).where(Notification.user_id == uid(db, username))
                                    .order_by(Notification.id)))


def test_a_company_files_and_the_department_signs_and_answers(db):
    request_id = file(db)
    req = load(db, request_id)
    assert (req.status, req.department_code, req.company_name) == ("filed", "SJ", "武汉江汉味道餐饮有限公司")
    assert req.reference.startswith("ZQT20261124-")
    assert (req.sign_due_at, req.answer_due_at) == (bj(2026, 11, 24, 11, 0), bj(2026, 11, 27, 18, 0))
    assert any(req.reference in t for t in inbox(db, "rev_sj")) and inbox(db, "rev_xf") == []
    with db.write() as session, pytest.raises(CommandError, match="请先签收"):
        er.answer(session, uid(db, "rev_sj"), request_id, "已办结", now=FILED)
    with db.write() as session:
        er.sign(session, uid(db, "rev_sj"), request_id, now=bj(2026, 11, 24, 10, 20))
    with db.write() as session, pytest.raises(Conflict):
        er.sign(session, uid(db, "rev_sj2"), request_id, now=bj(2026, 11, 24, 10, 21))
    with db.write() as session:
        er.answer(session, uid(db, "rev_sj2"), request_id, "招牌许可已于今日核准，请到窗口领取。", now=bj(2026, 11, 25, 9, 0))
    req = load(db, request_id)
    assert (req.status, req.signed_by_id, req.answered_by_id) == ("answered", uid(db, "rev_sj"), uid(db, "rev_sj2"))
    assert any("已答复" in t for t in inbox(db, "company"))
    with db.write() as session:
        er.rate(session, uid(db, "company"), request_id, 5, "很快", now=bj(2026, 11, 25, 10, 0))
    with db.write() as session, pytest.raises(Conflict):
        er.rate(session, uid(db, "company"), request_id, 1, now=bj(2026, 11, 25, 10, 1))
    assert load(db, request_id).rating == 5


def test_a_person_may_not_file_and_bad_input_is_refused(db):
    with db.write() as session, pytest.raises(Forbidden, match="仅限企业"):
        er.file_request(session, uid(db, "applicant"), "policy", "问题", "内容", now=FILED)
    with db.write() as session, pytest.raises(CommandError, match="诉求类型"):
        er.file_request(session, uid(db, "company"), "praise", "问题", "内容", now=FILED)
    with db.write() as session, pytest.raises(CommandError, match="负责部门"):
        er.file_request(session, uid(db, "company"), "policy", "问题", "内容", department_code="CK", now=FILED)
    with db.write() as session, pytest.raises(CommandError, match="办件编号"):
        er.file_request(session, uid(db, "company"), "policy", "问题", "内容", case_reference="JH-NOPE", now=FILED)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(EnterpriseRequest)) == 0


def test_the_related_case_must_be_the_companys_own(db, runtime, intake):
    from tests.walk import start

    case_id = start(runtime, intake).case_id
    with db.read() as session:
        reference = session.get(Case, case_id).reference
    # The window started it for someone else: not the company's case.
    with db.write() as session, pytest.raises(CommandError, match="办件编号"):
        er.file_request(session, uid(db, "company"), "policy", "问题", "内容", case_reference=reference, now=FILED)
    with db.write() as session:
        session.get(Case, case_id).applicant_id = uid(db, "company")
    request_id = file(db, case_reference=reference)
    assert load(db, request_id).case_reference == reference


def test_the_hall_dispatches_a_request_left_open_and_the_sign_clock_restarts(db):
    request_id = file(db, department=None)
    req = load(db, request_id)
    assert (req.status, req.department_code) == ("dispatching", None)
    assert any("待分派" in t for t in inbox(db, "clerk"))
    with db.write() as session, pytest.raises(NotFound):  # not theirs to see
        er.dispatch(session, uid(db, "rev_sj"), request_id, "SJ", now=FILED)
    with db.write() as session:
        er.dispatch(session, uid(db, "clerk"), request_id, "WJ", now=bj(2026, 11, 24, 10, 40))
    req = load(db, request_id)
    assert (req.status, req.department_code, req.sign_due_at) == ("filed", "WJ", bj(2026, 11, 24, 11, 40))
    assert req.answer_due_at == bj(2026, 11, 27, 18, 0)  # the company's promise stays
    with db.write() as session, pytest.raises(NotFound):  # dispatched: no longer the window's
        er.dispatch(session, uid(db, "clerk2"), request_id, "SJ", now=FILED)


def test_a_request_is_transferred_once_and_the_new_department_gets_a_fresh_hour(db):
    request_id = file(db)
    with db.write() as session, pytest.raises(CommandError, match="转办原因"):
        er.transfer(session, uid(db, "rev_sj"), request_id, "XF", "", now=FILED)
    with db.write() as session:
        er.transfer(session, uid(db, "rev_sj"), request_id, "XF", "消防审验问题", now=bj(2026, 11, 24, 11, 50))
    req = load(db, request_id)
    assert (req.status, req.department_code, req.transferred_from) == ("filed", "XF", "SJ")
    assert req.sign_due_at == bj(2026, 11, 24, 14, 20)  # ten minutes before lunch, fifty after
    assert req.answer_due_at == bj(2026, 11, 27, 18, 0)
    assert any("转办" in t for t in inbox(db, "rev_xf"))
    with db.write() as session, pytest.raises(NotFound):  # SJ no longer holds it
        er.sign(session, uid(db, "rev_sj"), request_id, now=FILED)
    with db.write() as session, pytest.raises(Conflict, match="转办过一次"):
        er.transfer(session, uid(db, "rev_xf"), request_id, "WJ", "也不是我们", now=FILED)


def test_staff_of_other_departments_and_applicants_cannot_act(db):
    request_id = file(db)
    with db.write() as session, pytest.raises(NotFound):
        er.sign(session, uid(db, "rev_xf"), request_id, now=FILED)
    with db.write() as session, pytest.raises(Forbidden):  # sees all, handles none
        er.sign(session, uid(db, "supervisor"), request_id, now=FILED)
    with db.write() as session, pytest.raises(NotFound):
        er.rate(session, uid(db, "applicant"), request_id, 5, now=FILED)
    with db.read() as session:
        assert er.load_for_staff(session, who(db, "supervisor"), request_id).id == request_id
        with pytest.raises(NotFound):
            er.load_for_applicant(session, who(db, "applicant"), request_id)


def test_an_unsatisfied_company_reopens_once_and_a_poor_rating_reaches_the_supervisor(db):
    request_id = file(db)
    with db.write() as session:
        er.sign(session, uid(db, "rev_sj"), request_id, now=FILED)
        er.answer(session, uid(db, "rev_sj"), request_id, "请耐心等待。", now=FILED)
    with db.write() as session:
        er.reopen(session, uid(db, "company"), request_id, "没有给出办理时间", now=bj(2026, 11, 30, 9, 0))
    req = load(db, request_id)
    assert (req.status, req.first_answer, req.answer) == ("signed", "请耐心等待。", "")
    assert req.answer_due_at == bj(2026, 12, 3, 18, 0)
    with db.write() as session:
        er.answer(session, uid(db, "rev_sj"), request_id, "周三前办结。", now=bj(2026, 11, 30, 10, 0))
    with db.write() as session, pytest.raises(Conflict, match="重新办理过一次"):
        er.reopen(session, uid(db, "company"), request_id, "还是不满意", now=bj(2026, 11, 30, 11, 0))
    with db.write() as session:
        er.rate(session, uid(db, "company"), request_id, 2, "拖延", now=bj(2026, 11, 30, 11, 0))
    assert any("差评" in t for t in inbox(db, "supervisor"))


def escalations(db) -> list[tuple]:
    with db.read() as session:
        return session.execute(select(EnterpriseEscalation.request_id, EnterpriseEscalation.breach,
                                      EnterpriseEscalation.department_code)
                               .order_by(EnterpriseEscalation.id)).all()


def test_each_breach_is_escalated_once(db):
    late = file(db)  # sign by 11:00, answer by Fri 18:00
    on_time = file(db, department="XF")
    with db.write() as session:
        er.sign(session, uid(db, "rev_xf"), on_time, now=bj(2026, 11, 24, 10, 30))
    assert escalate_breaches(db, bj(2026, 11, 24, 10, 59)) == 0
    assert sweep(db, now=bj(2026, 11, 24, 11, 1), only=("enterprise_escalation",)) == {"enterprise_escalation": 1}
    assert sweep(db, now=bj(2026, 11, 24, 15, 0), only=("enterprise_escalation",)) == {"enterprise_escalation": 0}
    assert escalations(db) == [(late, "sign", "SJ")]
    sup = [t for t in inbox(db, "supervisor") if "超时未签收" in t]
    assert len(sup) == 1 and len([t for t in inbox(db, "rev_sj2") if "超时" in t]) == 1
    # Past Friday 18:00 neither is answered: two answer breaches, each once.
    assert escalate_breaches(db, bj(2026, 11, 30, 9, 0)) == 2
    assert escalate_breaches(db, bj(2026, 12, 1, 9, 0)) == 0
    assert sorted(escalations(db)[1:]) == sorted([(late, "answer", "SJ"), (on_time, "answer", "XF")])


def test_a_transfer_after_a_breach_is_a_new_clock_and_a_new_breach(db):
    request_id = file(db)
    escalate_breaches(db, bj(2026, 11, 24, 11, 5))
    with db.write() as session:
        er.transfer(session, uid(db, "rev_sj"), request_id, "XF", "不属本部门", now=bj(2026, 11, 24, 11, 10))
    assert escalate_breaches(db, bj(2026, 11, 24, 11, 30)) == 0
    assert escalate_breaches(db, bj(2026, 11, 24, 14, 0)) == 1
    assert [e[1:] for e in escalations(db)] == [("sign", "SJ"), ("sign", "XF")]


def test_an_undispatched_request_escalates_to_the_window(db):
    file(db, department=None)
    assert escalate_breaches(db, bj(2026, 11, 24, 11, 1)) == 1
    assert [e[1:] for e in escalations(db)] == [("sign", "CK")]
    assert any("超时未签收" in t for t in inbox(db, "clerk"))


def test_two_sweeps_at_once_escalate_a_breach_once(db):
    ids = [file(db) for _ in range(5)]
    now = bj(2026, 11, 24, 11, 30)
    barrier = threading.Barrier(2)
    results = []

    def worker():
        barrier.wait()
        results.append(sweep(db, now=now, only=("enterprise_escalation",))["enterprise_escalation"])

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results)[0] >= 0 and sum(results) == len(ids)
    assert sorted(e[0] for e in escalations(db)) == ids
    assert len([t for t in inbox(db, "supervisor") if "超时未签收" in t]) == len(ids)
