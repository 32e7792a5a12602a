"""Names as the enterprise pages show them (both sides); their clocks are
shown by web/time_view.remaining, like every other due time."""
from __future__ import annotations

from flask_babel import gettext as _

from engine.industries import INDUSTRIES

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
def industry_name(code: str) -> str:
    zh, en = INDUSTRIES.get(code, (code, code))
    return _(zh)


def register_display(app) -> None:
    app.jinja_env.globals.update(
        REQUEST_KIND_NAMES=REQUEST_KIND_NAMES, REQUEST_STATUS_NAMES=REQUEST_STATUS_NAMES,
        NOTICE_AUDIENCE_NAMES=NOTICE_AUDIENCE_NAMES, RATING_NAMES=RATING_NAMES, industry_name=industry_name)
