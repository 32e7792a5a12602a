"""Names and clocks as the enterprise pages show them (both sides)."""
from __future__ import annotations

from datetime import date, datetime

from flask_babel import gettext as _

from engine.enterprise.clocks import working_hours_between
from engine.industries import INDUSTRIES
from engine.workcalendar import WORK_PERIODS
from models import utcnow

from ..labels import N_

REQUEST_KIND_NAMES = {
    "policy": N_("政策咨询"),
    "difficulty": N_("困难诉求"),
    "complaint": N_("投诉"),
}
REQUEST_STATUS_NAMES = {
    "dispatching": N_("待分派"),
    "filed": N_("待签收"),
    "signed": N_("办理中"),
    "answered": N_("已答复"),
}
NOTICE_AUDIENCE_NAMES = {
    "industries": N_("指定行业企业"),
    "all_companies": N_("全部企业"),
    "everyone": N_("所有申请人（含个人）"),
}
RATING_NAMES = {5: N_("非常满意"), 4: N_("满意"), 3: N_("基本满意"), 2: N_("不满意"), 1: N_("非常不满意")}
# A legal working day as the periods add up (9-12, 13:30-18: 7.5 h).
HOURS_PER_DAY = sum((datetime.combine(date.min, end) - datetime.combine(date.min, start)).total_seconds()
                    for start, end in WORK_PERIODS) / 3600


def clock_text(due, now=None) -> str:
    """How much working time is left before `due`, or how far past it."""
    hours = working_hours_between(now or utcnow(), due)
    amount = abs(hours)
    if amount >= HOURS_PER_DAY:
        span = _("%(days)s 个工作日", days=f"{amount / HOURS_PER_DAY:.1f}")
    elif amount >= 1:
        span = _("%(n)s 工作小时", n=f"{amount:.1f}")
    else:
        span = _("%(n)s 分钟", n=int(round(amount * 60)))
    return _("剩余 %(span)s", span=span) if hours > 0 else _("已超时 %(span)s", span=span)


def industry_name(code: str) -> str:
    zh, en = INDUSTRIES.get(code, (code, code))
    return _(zh)


def register_display(app) -> None:
    app.jinja_env.globals.update(
        REQUEST_KIND_NAMES=REQUEST_KIND_NAMES, REQUEST_STATUS_NAMES=REQUEST_STATUS_NAMES,
        NOTICE_AUDIENCE_NAMES=NOTICE_AUDIENCE_NAMES, RATING_NAMES=RATING_NAMES, clock_text=clock_text,
        industry_name=industry_name)
