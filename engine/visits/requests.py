"""An applicant's request for staff to come (上门办), and its cancellation
before the visit. Rules are checked here, so a form, the API or a script
all get the same answers."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import select

from engine.identity import is_valid_mobile
from engine.notifications import notify, notify_role
from engine.workcalendar import BEIJING
from models import VisitRecord, VisitRequest
from models.visit_request import VISIT_PERIODS, VISIT_REASONS

from .access import load_visible
from .catalog import offered_items
from .errors import VisitInvalid, VisitRefused

CANCELLABLE = ("requested", "scheduled", "follow_up", "absent")


@dataclass
class RequestInput:
    reason: str
    address: str
    contact_name: str
    contact_phone: str
    items: list[str]
    preferred_date: date | None
    preferred_period: str = "any"
    district: str = ""
    latitude: float | None = None
    longitude: float | None = None
    notes: str = ""


def _problems(session, data: RequestInput, today: date) -> dict[str, tuple[str, str]]:
    errors: dict[str, tuple[str, str]] = {}
    if data.reason not in VISIT_REASONS:
        errors["reason"] = ("请选择上门原因", "choose why staff should come")
    if not data.address.strip():
        errors["address"] = ("请填写上门地址", "give the address")
    if not data.contact_name.strip():
        errors["contact_name"] = ("请填写联系人", "give a contact name")
    if not is_valid_mobile(data.contact_phone.strip()):
        errors["contact_phone"] = ("手机号码无效", "not a valid mobile number")
    offered = {v.scenario_key for v in offered_items(session)}
    if not data.items:
        errors["items"] = ("请至少选择一项要办的事项", "choose at least one item")
    elif set(data.items) - offered:
        errors["items"] = ("所选事项不在办事目录中", "an item chosen is not in the catalog")
    if data.preferred_date is None or data.preferred_date < today:
        errors["preferred_date"] = ("期望日期不能早于今天", "the preferred date cannot be in the past")
    if data.preferred_period not in VISIT_PERIODS:
        errors["preferred_period"] = ("请选择时段", "choose a time of day")
    if (data.latitude is None) != (data.longitude is None) or (
            data.latitude is not None and not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180)):
        errors["latitude"] = ("经纬度无效（须同时填写）", "latitude and longitude must both be valid")
    return errors


def create_request(session, applicant, data: RequestInput, now: datetime) -> VisitRequest:
    if applicant.role != "applicant" or not applicant.active:
        raise VisitRefused("只有申请人可以申请上门服务", "only applicants ask for a visit")
    errors = _problems(session, data, now.astimezone(BEIJING).date())
    if errors:
        raise VisitInvalid(errors)
    visit = VisitRequest(
        applicant_id=applicant.id, reason=data.reason, address=data.address.strip()[:300],
        district=data.district.strip()[:64], latitude=data.latitude, longitude=data.longitude,
        contact_name=data.contact_name.strip()[:100], contact_phone=data.contact_phone.strip(),
        items=list(dict.fromkeys(data.items)), preferred_date=data.preferred_date,
        preferred_period=data.preferred_period, notes=data.notes.strip()[:2000], status="requested",
        case_ids=[], created_at=now, updated_at=now)
    session.add(visit)
    session.flush()
    notify_role(session, "supervisor", "visit_requested", f"新的上门服务申请 #{visit.id}",
                f"{visit.contact_name}，{visit.address}", f"/visits/{visit.id}", now=now)
    return visit


def cancel_request(session, applicant, request_id: int, reason: str, now: datetime) -> VisitRequest:
    """The applicant's own request, while no visit has been made."""
    visit = load_visible(session, applicant, request_id, lock=True)
    if applicant.role != "applicant" or visit.applicant_id != applicant.id:
        raise VisitRefused("只有申请人本人可以取消", "only the applicant may cancel")
    if visit.status not in CANCELLABLE:
        raise VisitRefused("上门服务已完成或已取消，不能再取消", "the visit was already made or cancelled")
    visit.status, visit.cancelled_at, visit.updated_at = "cancelled", now, now
    visit.cancel_reason = reason.strip()[:500]
    for staff_id in {visit.staff1_id, visit.staff2_id} - {None}:
        notify(session, staff_id, "visit_cancelled", f"上门服务 #{visit.id} 已被申请人取消",
               visit.cancel_reason, f"/visits/{visit.id}", now=now)
    return visit


def records_of(session, request_id: int) -> list[VisitRecord]:
    return session.scalars(select(VisitRecord).where(VisitRecord.request_id == request_id)
                           .order_by(VisitRecord.id)).all()
