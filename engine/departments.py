"""Which department a BPMN element belongs to (DESIGN.md decision 2)."""
import re

WINDOW = "CK"  # 综合窗口, the comprehensive window
# A shared block's lane named `* 调用部门` stands for the department of the
# call activity that called it (engine/call_sites.py).
_CALLER_LANE = re.compile(r"^\s*\*(\s|$)")
_LANE_CODE = re.compile(r"^\s*([A-Z][A-Z0-9]{1,7})(?:\s|$|[·:：-])")


def lane_department(lane_name: str | None) -> str | None:
    """`SJ 区市场监管局` -> `SJ`; a lane without a leading code -> None."""
    if not lane_name:
        return None
    match = _LANE_CODE.match(lane_name)
    return match.group(1) if match else None


def is_caller_lane(lane_name: str | None) -> bool:
    return bool(lane_name and _CALLER_LANE.match(lane_name))


def task_department(task_spec) -> str | None:
    """candidateGroups on the task overrides its lane."""
    from .parser import CANDIDATE_GROUPS

    groups = (getattr(task_spec, "extensions", None) or {}).get(CANDIDATE_GROUPS)
    if groups:
        return groups.split(",")[0].strip()
    return lane_department(getattr(task_spec, "lane", None))
