"""Policy notices (政策通知): a supervisor or admin publishes one to the
companies of some industries, to every company, or to everyone; the
readers are told in their inbox in the publishing transaction, with one
INSERT ... SELECT however many companies there are."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import exists, false, insert, literal, or_, select, true

from models import NOTICE_AUDIENCES, Notification, PolicyNotice, PolicyNoticeIndustry, User, utcnow

from ..industries import INDUSTRIES
from .errors import CommandError, Forbidden, N_, NotFound

PUBLISHERS = ("supervisor", "admin")


def notice_link(notice_id: int) -> str:
    return f"/my/notices/{notice_id}"


def publish_notice(session, actor_id: int, title: str, body: str, audience: str, industries=(),
                   now: datetime | None = None) -> PolicyNotice:
    now = now or utcnow()
    actor = session.get(User, actor_id)
    if actor is None or actor.role not in PUBLISHERS:
        raise Forbidden(N_("只有督查员或管理员可以发布政策通知"))
    title, body = (title or "").strip(), (body or "").strip()
    if not title or not body:
        raise CommandError(N_("请填写通知标题和正文"))
    if len(title) > 200:
        raise CommandError(N_("通知标题过长"))
    if audience not in NOTICE_AUDIENCES:
        raise CommandError(N_("请选择通知对象"))
    industries = sorted(set(industries or ())) if audience == "industries" else []
    if audience == "industries" and (not industries or not set(industries) <= set(INDUSTRIES)):
        raise CommandError(N_("请选择至少一个行业"))
    notice = PolicyNotice(title=title, body=body, audience=audience, published_at=now, published_by_id=actor.id)
    session.add(notice)
    session.flush()
    session.add_all(PolicyNoticeIndustry(notice_id=notice.id, industry=code) for code in industries)
    session.flush()
    _notify_readers(session, notice, industries, now)
    return notice


def _notify_readers(session, notice: PolicyNotice, industries: list[str], now: datetime) -> int:
    readers = select(User.id).where(User.role == "applicant", User.active.is_(True))
    if notice.audience != "everyone":
        readers = readers.where(User.uscc != "")
    if notice.audience == "industries":
        readers = readers.where(User.industry.in_(industries))
    rows = readers.with_only_columns(
        User.id, literal("policy_notice"), literal(f"政策通知：{notice.title}"[:200]), literal(""),
        literal(notice_link(notice.id)), literal(now, Notification.created_at.type), literal(""), literal(0),
        literal(""))
    return session.execute(insert(Notification).from_select(
        ["user_id", "kind", "title", "body", "link", "created_at", "channels", "delivery_attempts",
         "delivery_error"], rows)).rowcount


def visible_filter(user):
    """WHERE on policy_notices for a reader: a company sees its industry's
    notices and those for all companies or everyone; a person only those
    for everyone; publishers see all."""
    if user.role in PUBLISHERS:
        return true()
    if user.role != "applicant":
        return false()
    if not user.is_company:
        return PolicyNotice.audience == "everyone"
    of_industry = exists(select(PolicyNoticeIndustry.notice_id).where(
        PolicyNoticeIndustry.notice_id == PolicyNotice.id, PolicyNoticeIndustry.industry == user.industry))
    return or_(PolicyNotice.audience.in_(("all_companies", "everyone")),
               (PolicyNotice.audience == "industries") & of_industry)


def visible_notices(session, user, limit: int = 50) -> list[PolicyNotice]:
    return list(session.scalars(select(PolicyNotice).where(visible_filter(user))
                                .order_by(PolicyNotice.published_at.desc(), PolicyNotice.id.desc()).limit(limit)))


def load_visible(session, user, notice_id: int) -> PolicyNotice:
    notice = session.scalar(select(PolicyNotice).where(PolicyNotice.id == notice_id, visible_filter(user)))
    if notice is None:
        raise NotFound(N_("没有这条通知"))
    return notice


def industries_of(session, notice_ids) -> dict[int, list[str]]:
    out: dict[int, list[str]] = {}
    for notice_id, code in session.execute(select(PolicyNoticeIndustry.notice_id, PolicyNoticeIndustry.industry)
                                           .where(PolicyNoticeIndustry.notice_id.in_(list(notice_ids)))):
        out.setdefault(notice_id, []).append(code)
    return out


DEMO_NOTICE = {
    "title": "江汉区餐饮企业“明厨亮灶”改造补贴申报通知",
    "body": "辖区餐饮企业完成“明厨亮灶”改造的，可于本季度末前向区市场监管局申报一次性补贴，"
            "最高 5000 元。申报材料：改造前后照片、发票、营业执照复印件。",
    "industries": ["catering"],
}


def seed_demo_notice(session) -> None:
    """One catering notice for the demo (idempotent: only into an empty table)."""
    if session.scalar(select(PolicyNotice.id).limit(1)) is not None:
        return
    publisher = session.scalar(select(User.id).where(User.role == "supervisor").order_by(User.id).limit(1))
    if publisher is None:
        return
    publish_notice(session, publisher, DEMO_NOTICE["title"], DEMO_NOTICE["body"], "industries",
                   DEMO_NOTICE["industries"])
