"""Enterprise requests: filed by a company, dispatched by the hall when the
company left the department open, signed, answered (or transferred once)
by the responsible department, rated or reopened once by the company.
Every function runs in the caller's transaction (an ORM session) and
writes the notifications the change calls for in that same transaction."""
from __future__ import annotations

from datetime import datetime
from uuid import uuid4

from sqlalchemy import and_, or_, select, update

from models import REQUEST_KINDS, Case, Department, EnterpriseRequest, User, utcnow

from ..departments import WINDOW
from ..notifications import notify, notify_department, notify_role
from ..workcalendar import BEIJING
from .clocks import answer_due, sign_due
from .errors import CommandError, Conflict, Forbidden, N_, NotFound

OPEN_STATUSES = ("dispatching", "filed", "signed")
STAFF_ROLES = ("clerk", "reviewer")
OVERSIGHT_ROLES = ("supervisor", "admin")
MAX_TEXT = 5000
POOR_RATING = 2  # 不满意 or worse is a 差评 (SCENARIOS.md §4.1)


def request_link(request_id: int) -> str:
    return f"/enterprise/{request_id}"


def my_request_link(request_id: int) -> str:
    return f"/my/requests/{request_id}"


# ------------------------------------------------------------ who sees what

def staff_filter(user):
    """A WHERE clause on enterprise_requests for a staff member: their
    department's requests; the window (CK) also the ones waiting for
    dispatch; supervisors and admins everything."""
    if user.role in OVERSIGHT_ROLES:
        return True
    if user.role not in STAFF_ROLES or not user.department_code:
        return False
    mine = EnterpriseRequest.department_code == user.department_code
    if user.department_code == WINDOW and user.role == "clerk":
        return or_(mine, EnterpriseRequest.status == "dispatching")
    return mine


def applicant_filter(user):
    return EnterpriseRequest.applicant_id == user.id


def load_for_staff(session, user, request_id: int) -> EnterpriseRequest:
    found = session.scalar(select(EnterpriseRequest).where(EnterpriseRequest.id == request_id, staff_filter(user)))
    if found is None:
        raise NotFound(N_("没有这件诉求"))
    return found


def load_for_applicant(session, user, request_id: int) -> EnterpriseRequest:
    found = session.scalar(select(EnterpriseRequest).where(EnterpriseRequest.id == request_id,
                                                           applicant_filter(user)))
    if found is None:
        raise NotFound(N_("没有这件诉求"))
    return found


def is_handler(user, req: EnterpriseRequest) -> bool:
    """A member of the department now responsible for the request."""
    return (user.role in STAFF_ROLES and req.department_code is not None
            and user.department_code == req.department_code)


def may_dispatch(user, req: EnterpriseRequest) -> bool:
    return user.role == "clerk" and user.department_code == WINDOW and req.status == "dispatching"


def departments_to_choose(session) -> list[Department]:
    """Departments a request can go to: every back office, not the window."""
    return list(session.scalars(select(Department).where(Department.code != WINDOW).order_by(Department.code)))


# ------------------------------------------------------------ the company

def file_request(session, applicant_id: int, kind: str, subject: str, description: str,
                 department_code: str | None = None, case_reference: str = "",
                 now: datetime | None = None) -> EnterpriseRequest:
    now = now or utcnow()
    applicant = session.get(User, applicant_id)
    if applicant is None or applicant.role != "applicant":
        raise Forbidden(N_("只有申请人可以提交政企通诉求"))
    if not applicant.is_company:
        raise Forbidden(N_("政企通诉求仅限企业提交；个人事项请通过网上办事或 12345 热线反映"))
    if kind not in REQUEST_KINDS:
        raise CommandError(N_("请选择诉求类型"))
    subject, description = (subject or "").strip(), (description or "").strip()
    if not subject or not description:
        raise CommandError(N_("请填写诉求标题和内容"))
    if len(subject) > 200 or len(description) > MAX_TEXT:
        raise CommandError(N_("诉求标题或内容过长"))
    case_reference = (case_reference or "").strip()
    if case_reference and session.scalar(select(Case.id).where(
            Case.reference == case_reference,
            or_(Case.applicant_id == applicant.id, Case.applicant_key == applicant.applicant_key))) is None:
        raise CommandError(N_("没有找到您名下的这个办件编号"))
    department_code = department_code or None
    if department_code is not None:
        _check_target(session, department_code)
    req = EnterpriseRequest(
        reference=uuid4().hex, applicant_id=applicant.id, company_name=applicant.company_name, uscc=applicant.uscc,
        kind=kind, subject=subject, description=description, case_reference=case_reference,
        department_code=department_code, status="filed" if department_code else "dispatching",
        filed_at=now, sign_clock_from=now, sign_due_at=sign_due(now), answer_due_at=answer_due(now),
        answer="", transferred_from="", transfer_reason="", rating_comment="", reopen_reason="", first_answer="")
    session.add(req)
    session.flush()  # the id numbers the reference; the placeholder is unique meanwhile
    req.reference = f"ZQT{now.astimezone(BEIJING):%Y%m%d}-{req.id:05d}"
    title = f"新的政企通诉求 {req.reference}：{subject}"
    if department_code:
        notify_department(session, department_code, "enterprise_request", title, _clocks_line(req),
                          request_link(req.id), now=now)
    else:
        notify_department(session, WINDOW, "enterprise_request", f"待分派：{title}", _clocks_line(req),
                          request_link(req.id), roles=("clerk",), now=now)
    session.flush()
    return req


def rate(session, applicant_id: int, request_id: int, stars: int, comment: str = "",
         now: datetime | None = None) -> EnterpriseRequest:
    now = now or utcnow()
    req = _own(session, applicant_id, request_id)
    if req.status != "answered":
        raise CommandError(N_("诉求答复后才能评价"))
    if req.rated_at is not None:
        raise Conflict(N_("这件诉求已经评价过了"))
    if stars not in (1, 2, 3, 4, 5):
        raise CommandError(N_("请选择 1 至 5 星"))
    comment = (comment or "").strip()[:1000]
    done = session.execute(update(EnterpriseRequest).where(
        EnterpriseRequest.id == req.id, EnterpriseRequest.rated_at.is_(None),
        EnterpriseRequest.status == "answered").values(rating=stars, rating_comment=comment, rated_at=now)).rowcount
    if not done:
        raise Conflict(N_("这件诉求已经评价过了"))
    if stars <= POOR_RATING:
        title = f"政企通诉求差评（{stars} 星）：{req.reference}"
        notify_role(session, "supervisor", "enterprise_poor_rating", title, comment, request_link(req.id), now=now)
        notify_department(session, req.department_code, "enterprise_poor_rating", title, comment,
                          request_link(req.id), now=now)
    session.refresh(req)
    return req


def reopen(session, applicant_id: int, request_id: int, reason: str, now: datetime | None = None) -> EnterpriseRequest:
    """Not satisfied with the answer: once, before rating. The department
    answers again within a fresh 3 working days; the first answer is kept."""
    now = now or utcnow()
    req = _own(session, applicant_id, request_id)
    reason = (reason or "").strip()
    if not reason:
        raise CommandError(N_("请说明不满意的原因"))
    if req.status != "answered" or req.rated_at is not None:
        raise CommandError(N_("只有已答复、未评价的诉求可以重新办理"))
    if req.reopened_at is not None:
        raise Conflict(N_("这件诉求已经重新办理过一次"))
    done = session.execute(update(EnterpriseRequest).where(
        EnterpriseRequest.id == req.id, EnterpriseRequest.status == "answered",
        EnterpriseRequest.reopened_at.is_(None), EnterpriseRequest.rated_at.is_(None)).values(
        status="signed", reopened_at=now, reopen_reason=reason[:1000], first_answer=req.answer, answer="",
        answered_at=None, answered_by_id=None, answer_due_at=answer_due(now))).rowcount
    if not done:
        raise Conflict(N_("这件诉求已经重新办理过一次"))
    session.refresh(req)
    notify_department(session, req.department_code, "enterprise_reopened", f"企业对答复不满意，请重新答复：{req.reference}",
                      reason, request_link(req.id), now=now)
    return req


# ------------------------------------------------------------ the departments

def dispatch(session, actor_id: int, request_id: int, department_code: str,
             now: datetime | None = None) -> EnterpriseRequest:
    """The window sends a request the company left to the hall to a
    department; that department's 1-hour sign clock starts now."""
    now = now or utcnow()
    actor = session.get(User, actor_id)
    req = load_for_staff(session, actor, request_id)
    if not may_dispatch(actor, req):
        raise Forbidden(N_("只有综合窗口可以分派待分派的诉求"))
    _check_target(session, department_code)
    done = session.execute(update(EnterpriseRequest).where(
        EnterpriseRequest.id == req.id, EnterpriseRequest.status == "dispatching").values(
        status="filed", department_code=department_code, dispatched_at=now, dispatched_by_id=actor.id,
        sign_clock_from=now, sign_due_at=sign_due(now))).rowcount
    if not done:
        raise Conflict(N_("这件诉求已由他人分派"))
    session.refresh(req)
    notify_department(session, department_code, "enterprise_request", f"新的政企通诉求 {req.reference}：{req.subject}",
                      _clocks_line(req), request_link(req.id), now=now)
    return req


def sign(session, actor_id: int, request_id: int, now: datetime | None = None) -> EnterpriseRequest:
    now = now or utcnow()
    actor, req = _handled_by(session, actor_id, request_id)
    if req.status != "filed":
        raise Conflict(N_("这件诉求已签收"))
    done = session.execute(update(EnterpriseRequest).where(
        EnterpriseRequest.id == req.id, EnterpriseRequest.status == "filed",
        EnterpriseRequest.department_code == actor.department_code).values(
        status="signed", signed_at=now, signed_by_id=actor.id)).rowcount
    if not done:
        raise Conflict(N_("这件诉求已被他人签收或已转办"))
    session.refresh(req)
    notify(session, req.applicant_id, "enterprise_signed", f"您的诉求 {req.reference} 已由{_dept_name(session, req)}签收",
           "", my_request_link(req.id), now=now)
    return req


def answer(session, actor_id: int, request_id: int, text: str, now: datetime | None = None) -> EnterpriseRequest:
    now = now or utcnow()
    actor, req = _handled_by(session, actor_id, request_id)
    text = (text or "").strip()
    if not text:
        raise CommandError(N_("请填写答复内容"))
    if len(text) > MAX_TEXT:
        raise CommandError(N_("答复内容过长"))
    if req.status == "filed":
        raise CommandError(N_("请先签收再答复"))
    if req.status != "signed":
        raise Conflict(N_("这件诉求已经答复"))
    done = session.execute(update(EnterpriseRequest).where(
        EnterpriseRequest.id == req.id, EnterpriseRequest.status == "signed",
        EnterpriseRequest.department_code == actor.department_code).values(
        status="answered", answer=text, answered_at=now, answered_by_id=actor.id)).rowcount
    if not done:
        raise Conflict(N_("这件诉求已经答复"))
    session.refresh(req)
    notify(session, req.applicant_id, "enterprise_answered", f"您的诉求 {req.reference} 已答复，请查看并评价",
           text[:300], my_request_link(req.id), channels=("sms",), now=now)
    return req


def transfer(session, actor_id: int, request_id: int, department_code: str, reason: str,
             now: datetime | None = None) -> EnterpriseRequest:
    """Not ours: hand it to another department, once. The new department's
    1-hour sign clock starts now; the company's 3-day promise stays."""
    now = now or utcnow()
    actor, req = _handled_by(session, actor_id, request_id)
    reason = (reason or "").strip()
    if not reason:
        raise CommandError(N_("请说明转办原因"))
    if req.status not in ("filed", "signed"):
        raise CommandError(N_("已答复的诉求不能转办"))
    if req.transferred_at is not None:
        raise Conflict(N_("这件诉求已经转办过一次，不能再转办"))
    _check_target(session, department_code)
    if department_code == req.department_code:
        raise CommandError(N_("请选择另一个部门"))
    done = session.execute(update(EnterpriseRequest).where(
        EnterpriseRequest.id == req.id, EnterpriseRequest.transferred_at.is_(None),
        EnterpriseRequest.department_code == actor.department_code,
        EnterpriseRequest.status.in_(("filed", "signed"))).values(
        status="filed", department_code=department_code, signed_at=None, signed_by_id=None,
        transferred_from=actor.department_code, transferred_at=now, transferred_by_id=actor.id,
        transfer_reason=reason[:500], sign_clock_from=now, sign_due_at=sign_due(now))).rowcount
    if not done:
        raise Conflict(N_("这件诉求已经转办过一次，不能再转办"))
    session.refresh(req)
    notify_department(session, department_code, "enterprise_request",
                      f"转办来的政企通诉求 {req.reference}：{req.subject}", f"转办原因：{reason}\n{_clocks_line(req)}",
                      request_link(req.id), now=now)
    return req


# ------------------------------------------------------------ helpers

def _own(session, applicant_id: int, request_id: int) -> EnterpriseRequest:
    req = session.scalar(select(EnterpriseRequest).where(EnterpriseRequest.id == request_id,
                                                         EnterpriseRequest.applicant_id == applicant_id))
    if req is None:
        raise NotFound(N_("没有这件诉求"))
    return req


def _handled_by(session, actor_id: int, request_id: int):
    actor = session.get(User, actor_id)
    req = load_for_staff(session, actor, request_id)
    if not is_handler(actor, req):
        raise Forbidden(N_("只有负责部门的工作人员可以办理这件诉求"))
    return actor, req


def _check_target(session, department_code: str) -> None:
    if department_code == WINDOW or session.get(Department, department_code) is None:
        raise CommandError(N_("请选择一个负责部门"))


def _dept_name(session, req: EnterpriseRequest) -> str:
    dept = session.get(Department, req.department_code) if req.department_code else None
    return dept.name_zh if dept else ""


def _clocks_line(req: EnterpriseRequest) -> str:
    fmt = "%m-%d %H:%M"
    return (f"签收时限 {req.sign_due_at.astimezone(BEIJING):{fmt}}，"
            f"答复时限 {req.answer_due_at.astimezone(BEIJING):{fmt}}")


def open_and_overdue(now: datetime):
    """WHERE: not yet signed past the sign deadline, or not yet answered past
    the answer deadline (the supervisor's breach filter)."""
    return or_(
        and_(EnterpriseRequest.status.in_(("dispatching", "filed")), EnterpriseRequest.sign_due_at <= now),
        and_(EnterpriseRequest.status.in_(OPEN_STATUSES), EnterpriseRequest.answer_due_at <= now),
    )
