"""What the assigned staff record: the visit made (arrival, result, notes,
photos, materials taken) and the result mailed back (EMS)."""
from __future__ import annotations

import re
from datetime import datetime, timedelta

from engine.file_store import Blob, FileStore
from engine.notifications import notify
from models import VisitRecord, VisitRequest
from models.visit_request import VISIT_RESULTS

from .access import load_visible
from .errors import VisitRefused

PHOTO_PURPOSE = "visit_photo"
MAX_PHOTOS = 10
# China Post EMS: two letters, nine digits, two letters (EA123456789CN), or 13 digits.
EMS_NUMBER = re.compile(r"(?:[A-Z]{2}[0-9]{9}[A-Z]{2}|[0-9]{13})")
RESULT_NOTICES = {
    "completed": ("上门服务已完成", "工作人员已完成上门服务，您的办件将继续办理。"),
    "absent": ("上门服务未能完成：未见到申请人", "工作人员上门时未见到您，我们将另行联系安排。"),
    "follow_up": ("上门服务需再次安排", "本次上门后还需补充办理，我们将另行联系安排。"),
}


def _assigned(session, staff, request_id: int) -> VisitRequest:
    visit = load_visible(session, staff, request_id, lock=True)
    if not staff.active or not visit.is_assigned(staff.id):
        raise VisitRefused("只有指派的两名工作人员可以登记上门情况", "only the two assigned staff record the visit")
    return visit


def record_visit(session, staff, request_id: int, *, arrived_at: datetime, result: str, notes: str,
                 materials: list[str], photos: list[Blob], files: FileStore, now: datetime) -> VisitRecord:
    visit = _assigned(session, staff, request_id)
    if visit.status != "scheduled":
        raise VisitRefused("该上门服务不在待上门状态", "the visit is not scheduled")
    if result not in VISIT_RESULTS:
        raise VisitRefused("请选择上门结果", "choose the result of the visit")
    if arrived_at > now + timedelta(minutes=5):
        raise VisitRefused("到达时间不能晚于现在", "the arrival time cannot be in the future")
    if len(photos) > MAX_PHOTOS:
        raise VisitRefused(f"照片最多 {MAX_PHOTOS} 张", f"at most {MAX_PHOTOS} photos")
    rows = [files.record(session, blob, staff.id, PHOTO_PURPOSE) for blob in photos]
    record = VisitRecord(request_id=visit.id, recorded_by_id=staff.id, arrived_at=arrived_at, result=result,
                         notes=notes.strip()[:4000], materials=[m.strip()[:200] for m in materials if m.strip()],
                         photo_ids=[row.id for row in rows], created_at=now)
    session.add(record)
    visit.status, visit.updated_at = result, now
    title, body = RESULT_NOTICES[result]
    notify(session, visit.applicant_id, "visit_recorded", title, body, f"/my/visits/{visit.id}", now=now)
    session.flush()
    return record


def record_mailing(session, user, request_id: int, tracking_no: str, now: datetime) -> VisitRequest:
    """The assigned staff or a supervisor, once the visit is completed."""
    visit = load_visible(session, user, request_id, lock=True)
    if user.role not in ("supervisor", "admin") and not visit.is_assigned(user.id):
        raise VisitRefused("只有指派的工作人员或督查员可以登记寄送", "only the assigned staff or a supervisor")
    if visit.status != "completed":
        raise VisitRefused("上门服务完成后才能登记寄送结果", "record the mailing after a completed visit")
    number = (tracking_no or "").strip().upper()
    if not EMS_NUMBER.fullmatch(number):
        raise VisitRefused("EMS 单号无效（如 EA123456789CN 或 13 位数字）",
                           "not an EMS number (EA123456789CN or 13 digits)")
    visit.mail_tracking_no, visit.mailed_at, visit.updated_at = number, now, now
    notify(session, visit.applicant_id, "visit_mailed", "办理结果已寄出",
           f"您的办理结果已通过 EMS 寄出，单号 {number}。", f"/my/visits/{visit.id}", channels=("sms",), now=now)
    return visit
