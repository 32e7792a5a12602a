"""The rating scale, the national indicators and the locally set numbers,
all in one place. The numbers may be set per installation through the
environment (ONEWINDOW_RATING_*); the defaults follow SCENARIOS.md §4.1."""
from __future__ import annotations

import os

# 国办发〔2019〕51号: five levels; 2 or less is a 差评.
LEVELS = {5: "非常满意", 4: "满意", 3: "基本满意", 2: "不满意", 1: "非常不满意"}
BAD_AT_MOST = 2

# GB/T 39734/39735: the rating itself is 整体满意度; these are the others.
ONLINE_INDICATORS = {"efficiency": "办事效率", "guide_accuracy": "办事指南精确度",
                     "convenience": "办事便捷度", "usability": "平台操作性"}
OFFLINE_INDICATORS = {"service_efficiency": "服务效率", "service_level": "服务水平", "attitude": "服务态度"}
INDICATORS_BY_CHANNEL = {"online": ONLINE_INDICATORS, "onsite": OFFLINE_INDICATORS}

# Cases that may be rated: delivered, approved or not.
RATEABLE_STATUSES = ("completed", "rejected")
MAX_COMMENT = 2000


def _number(name: str, default: float) -> float:
    value = os.environ.get(f"ONEWINDOW_RATING_{name}")
    return float(value) if value else default


# A 差评's rectification: done within N working days (locally set; 15 WD
# recommended), the callback started within 1 working day.
RECTIFICATION_WORKING_DAYS = _number("RECTIFICATION_WORKING_DAYS", 15)
CALLBACK_WORKING_DAYS = _number("CALLBACK_WORKING_DAYS", 1)
# No rating N calendar days after delivery counts as 满意 (recorded once).
DEFAULT_AFTER_DAYS = _number("DEFAULT_AFTER_DAYS", 15)
DEFAULT_SCORE = 4


def is_bad(score: int) -> bool:
    return score <= BAD_AT_MOST
