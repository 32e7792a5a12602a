"""Display names of the visit codes (message ids, Chinese first)."""
from ..labels import N_

REASON_NAMES = {
    "elderly": N_("老年人"),
    "disabled": N_("残疾人"),
    "key_company": N_("重点企业"),
    "other": N_("其他"),
}
PERIOD_NAMES = {"morning": N_("上午"), "afternoon": N_("下午"), "any": N_("均可")}
VISIT_STATUS_NAMES = {
    "requested": N_("待安排"),
    "scheduled": N_("已安排"),
    "completed": N_("已上门办理"),
    "absent": N_("未见到申请人"),
    "follow_up": N_("需再次上门"),
    "cancelled": N_("已取消"),
}
RESULT_NAMES = {
    "completed": N_("已完成"),
    "absent": N_("申请人不在"),
    "follow_up": N_("需后续跟进"),
}
