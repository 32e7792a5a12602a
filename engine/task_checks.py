"""Form rules that need the database or the clock, checked by the runtime
before a task's form is validated (JSON Schema cannot see either):

- ``"x-widget": "staff"`` (an array of usernames): each an active clerk or
  reviewer of the task's department, no one twice (远程勘验: at least two
  inspectors, real and distinct);
- ``"x-widget": "recording"`` (a stored file's id) with ``"x-hash-field"``:
  the file must be a video uploaded to this case; its SHA-256, computed by
  the server on upload, is written into the hash field over anything typed;
- ``"x-deadline-field"`` on an integer of working days: the date that many
  working days from now (statutory calendar) is written into that field
  (by convention an ``"x-widget": "computed"`` field: shown, never typed);
  a period that runs into a year without calendar data is refused.
"""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from models import StoredFile, User

from .runtime.errors import InvalidData
from .workcalendar import BEIJING, CalendarDataMissing, add_working_days

STAFF_ROLES = ("clerk", "reviewer")
RECORDING_PURPOSE = "video_recording"


def prepare(conn, schema: dict, data: dict, *, department: str | None, case_id: int, now: datetime) -> dict:
    """The data with derived fields filled in; InvalidData on a broken rule."""
    data = dict(data)
    errors: dict[str, dict] = {}
    for name, prop in (schema.get("properties") or {}).items():
        widget = prop.get("x-widget")
        if widget == "staff" and name in data:
            problem = _staff_problem(conn, data[name], department)
            if problem:
                errors[name] = problem
        elif widget == "recording" and data.get(name) not in (None, ""):
            row = conn.execute(select(StoredFile.sha256).where(
                StoredFile.id == _int(data[name]), StoredFile.case_id == case_id,
                StoredFile.purpose == RECORDING_PURPOSE)).first()
            if row is None:
                errors[name] = {"zh": "录像文件不属于本办件", "en": "the recording is not a file of this case"}
            else:
                data[name] = _int(data[name])
                data[prop.get("x-hash-field", name + "_sha256")] = row.sha256
        if prop.get("x-deadline-field") and isinstance(data.get(name), int) and data[name] > 0:
            try:
                due = add_working_days(now, data[name]).astimezone(BEIJING).date()
            except CalendarDataMissing as exc:
                # Never a guessed date: a timer may wait for this deadline
                # (the video block's re-check), so the period is refused
                # until an administrator enters that year.
                errors[name] = {"zh": "期限超出已有法定日历数据，请管理员先录入该年度的节假日安排",
                                "en": f"the period runs past the calendar data ({exc}); "
                                      "an administrator must enter that year first"}
                continue
            data[prop["x-deadline-field"]] = due.isoformat()
    if errors:
        raise InvalidData(f"{len(errors)} field(s) break a rule", errors)
    return data


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _staff_problem(conn, value, department: str | None) -> dict | None:
    names = value if isinstance(value, list) else [value]
    if len(set(names)) != len(names):
        return {"zh": "同一人员不能重复指派", "en": "the same person is named twice"}
    found = set(conn.execute(select(User.username).where(
        User.username.in_([n for n in names if isinstance(n, str)]), User.active.is_(True),
        User.role.in_(STAFF_ROLES), User.department_code == department)).scalars())
    unknown = [n for n in names if n not in found]
    if unknown:
        return {"zh": f"不是本部门在岗人员：{'、'.join(map(str, unknown))}",
                "en": f"not active staff of this department: {', '.join(map(str, unknown))}"}
    return None
