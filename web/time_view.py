"""How much working time is left before a due time, as the pages say it
(every due time is shown with it). Working time on the legal calendar, so a
weekend or a holiday does not eat into it. "Now" is the application's
clock, the runtime's (what tests and a simulation set), unless given."""
from __future__ import annotations

from datetime import datetime

from flask_babel import gettext as _
from markupsafe import Markup, escape

from engine.workcalendar import WORKDAY_HOURS, CalendarDataMissing, working_time_between


def remaining(due_at: datetime | None, paused_at: datetime | None = None, now: datetime | None = None) -> Markup:
    if due_at is None:
        return Markup("")
    if paused_at is not None:
        return _span("paused", _("计时暂停中（等待申请人补正）"))
    try:
        left = working_time_between(now or _app_now(), due_at)
    except CalendarDataMissing:
        return _span("missing", _("无日历数据，无法计算剩余时间"))
    hours = left.total_seconds() / 3600
    amount = _amount(abs(hours))
    if hours < 0:
        return _span("overdue", _("已超期 %(amount)s", amount=amount))
    return _span("soon" if hours < WORKDAY_HOURS else "ok", _("剩余 %(amount)s", amount=amount))


def _app_now() -> datetime:
    from . import get_runtime

    return get_runtime().clock()


def _amount(hours: float) -> str:
    if hours >= WORKDAY_HOURS:
        return _("%(days)s 个工作日", days=f"{hours / WORKDAY_HOURS:.1f}".rstrip("0").rstrip("."))
    return _("%(hours)s 个工作小时", hours=f"{hours:.1f}".rstrip("0").rstrip("."))


def _span(kind: str, text: str) -> Markup:
    return Markup('<small class="remaining {}">{}</small>').format(kind, escape(text))
