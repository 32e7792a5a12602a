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
    "clock_paused": N_("计时暂停"),
    "clock_resumed": N_("计时恢复"),
    "appointment_linked": N_("预约受理"),
    "visit_linked": N_("上门受理"),
    "rated": N_("评价"),
    "rectification_opened": N_("差评整改启动"),
    "rectification_callback": N_("差评回访"),
    "rectification_closed": N_("差评整改办结"),
    "rectification_escalated": N_("差评整改逾期上报"),
    "rectification_fixed": N_("台账整改完成"),
    "rectification_fix_overdue": N_("台账整改逾期上报"),
    "rating_appealed": N_("差评申诉"),
    "rating_appeal_decided": N_("差评申诉复核"),
    "key_project_attached": N_("绿色通道：重点项目"),
    "timer_fired": N_("定时器触发"),
    "due_date_failed": N_("时限表达式出错，按法定时限计"),
    "migrated": N_("迁移到新版本"),
    "reminded": N_("到期提醒"),
    "escalated": N_("超期督办"),
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

# Appointments (预约办) and the hall calendar (弹性办).
APPOINTMENT_STATUS_NAMES = {
    "booked": N_("已预约"),
    "checked_in": N_("已签到"),
    "no_show": N_("爽约"),
    "cancelled": N_("已取消"),
}
APPOINTMENT_CHANNEL_NAMES = {
    "web": N_("网上"),
    "wechat": N_("微信"),
    "phone": N_("电话"),
    "12345": N_("12345热线"),
}
SESSION_KIND_NAMES = {
    "regular": N_("正常工作时间"),
    "lunch": N_("午间不间断"),
    "evening": N_("延时服务"),
    "weekend": N_("周末服务"),
}
WEEKDAY_NAMES = (N_("周一"), N_("周二"), N_("周三"), N_("周四"), N_("周五"), N_("周六"), N_("周日"))
# What the appointment and hall pages' templates read (their blueprints' context).
APPOINTMENT_LABELS = {
    "APPOINTMENT_STATUS_NAMES": APPOINTMENT_STATUS_NAMES, "APPOINTMENT_CHANNEL_NAMES": APPOINTMENT_CHANNEL_NAMES,
    "SESSION_KIND_NAMES": SESSION_KIND_NAMES, "WEEKDAY_NAMES": WEEKDAY_NAMES, "CATEGORY_NAMES": CATEGORY_NAMES,
}
# 好差评 (engine/ratings/rules.py) and 绿色通道 (engine/green_channel).
RATING_LEVEL_NAMES = {5: N_("非常满意"), 4: N_("满意"), 3: N_("基本满意"), 2: N_("不满意"), 1: N_("非常不满意")}
INDICATOR_NAMES = {
    "efficiency": N_("办事效率"),
    "guide_accuracy": N_("办事指南精确度"),
    "convenience": N_("办事便捷度"),
    "usability": N_("平台操作性"),
    "service_efficiency": N_("服务效率"),
    "service_level": N_("服务水平"),
    "attitude": N_("服务态度"),
}
RATING_CHANNEL_NAMES = {"online": N_("网上评价"), "onsite": N_("现场评价"), "default": N_("默认好评")}
OUTCOME_NAMES = {"immediate": N_("立行立改"), "logged": N_("建立台账、限期整改"), "explained": N_("无法律依据，已解释说明")}
# Where a logged outcome's fix stands (engine/ratings/rectifications.fix_state).
FIX_STATE_NAMES = {"pending": N_("限期整改中"), "overdue": N_("限期整改已逾期"), "fixed": N_("已按期整改"),
                   "fixed_late": N_("逾期后整改完成")}
RECTIFICATION_STATUS_NAMES = {"open": N_("整改中"), "closed": N_("已办结"), "annulled": N_("申诉成立，已撤销")}
APPEAL_STATUS_NAMES = {"pending": N_("待复核"), "upheld": N_("维持原评价"), "granted": N_("申诉成立")}
PROJECT_LEVEL_NAMES = {"city": N_("市级"), "district": N_("区级")}
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

# Why a case cannot move to a newer version (engine/case_migration.py codes);
# the engine's own sentence, with the elements named, follows on the page.
MIGRATION_REASON_NAMES = {
    "other_scenario": N_("目标版本属于其他事项"),
    "not_newer": N_("目标版本不比办件当前版本新"),
    "case_finished": N_("办件已办结"),
    "task_removed": N_("正在办理的环节在新版本中被删除"),
    "task_type_changed": N_("正在办理的环节在新版本中改变了类型"),
    "block_changed": N_("正在运行的共用模块在新版本中改为调用其他模块"),
    "block_removed": N_("正在运行的共用模块在新版本中被删除"),
    "branch_added_after_split": N_("新版本在办件已越过的并行分支处增加了分支，新分支永远不会启动，汇合将一直等待"),
    "passed_element_removed": N_("办件已经过的环节在新版本中被删除"),
    "migration_failed": N_("试迁移失败"),
}
