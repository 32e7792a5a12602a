"""Display names of codes, as message ids for translation (Chinese first).
N_ marks them for `pybabel extract`; templates translate them with _()."""


def N_(message: str) -> str:
    return message


ROLE_NAMES = {
    "clerk": N_("综合窗口"),
    "reviewer": N_("后台审批"),
    "applicant": N_("申请人"),
    "designer": N_("流程设计"),
    "supervisor": N_("营商办督查"),
    "admin": N_("系统管理员"),
}
CATEGORY_NAMES = {
    "one_thing": N_("一件事"),
    "shared_block": N_("共享环节"),
    "construction": N_("工程建设"),
    "imported": N_("导入"),
}
STATUS_NAMES = {
    "running": N_("办理中"),
    "completed": N_("已办结"),
    "rejected": N_("不予许可"),
    "withdrawn": N_("已撤回"),
}
EVENT_NAMES = {
    "case_started": N_("受理"),
    "task_completed": N_("完成"),
    "claimed": N_("领取"),
    "released": N_("退回"),
    "withdrawn": N_("撤回"),
    "assigned": N_("转交"),
    "applied_online": N_("网上申报"),
}
DECISION_NAMES = {
    "approve": N_("准予"),
    "correct": N_("需补正"),
    "reject": N_("不予许可"),
}
MATERIAL_STATE_NAMES = {
    "received": N_("已收取"),
    "deferred": N_("容缺后补"),
    "not_applicable": N_("不适用"),
}
APPLICATION_STATUS_NAMES = {
    "draft": N_("草稿"),
    "submitted": N_("待预审"),
    "returned": N_("已退回"),
    "accepted": N_("已受理"),
}
STEP_STATE_NAMES = {
    "done": N_("已完成"),
    "open": N_("办理中"),
    "waiting": N_("未开始"),
    "correct": N_("需补正"),
    "reject": N_("不予许可"),
}
