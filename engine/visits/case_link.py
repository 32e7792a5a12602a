"""上门办: "the case continues from there". From a completed visit an
assigned staff member starts the case for the applicant at the window's
intake: the form comes prefilled from the applicant's account and the
visit, the case is the applicant's, and the link is recorded on both sides
(the visit lists the case; the case has a "visit_linked" event). The
visit's photos join the case, so whoever may see the case sees them."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from engine.runtime.errors import Conflict, Forbidden, NotFound
from ..applicant_prefill import applicant_fields, fits
from models import StoredFile, User, VisitRecord, VisitRequest

VISITS = VisitRequest.__table__
STAFF_ROLES = ("clerk", "reviewer")


class VisitOrigin:
    """engine/runtime/origins.py CaseOrigin for Runtime.start_case."""

    def __init__(self, visit_id: int, scenario_key: str, locking: bool = True):
        self.visit_id, self.scenario_key, self.locking = visit_id, scenario_key, locking
        self._seen_version: int | None = None

    def check(self, conn, user) -> int:
        query = select(VISITS).where(VISITS.c.id == self.visit_id)
        row = conn.execute(query.with_for_update() if self.locking else query).first()
        if row is None:
            raise NotFound(f"no visit request {self.visit_id}")
        if user.role not in STAFF_ROLES or user.id not in (row.staff1_id, row.staff2_id):
            raise Forbidden(f"{user.username} was not assigned to visit {self.visit_id}")
        if row.status != "completed":
            raise Conflict(f"visit {self.visit_id} is {row.status}, not completed")
        if self.scenario_key not in (row.items or []):
            raise Forbidden(f"{self.scenario_key!r} is not one of the items asked for in visit {self.visit_id}")
        self._seen_version = row.version
        return row.applicant_id

    def link(self, conn, case_id: int, user, now: datetime) -> tuple[str, dict]:
        row = conn.execute(select(VISITS.c.case_ids).where(VISITS.c.id == self.visit_id)).first()
        done = conn.execute(update(VISITS).where(VISITS.c.id == self.visit_id,
                                                 VISITS.c.version == self._seen_version)
                            .values(case_ids=[*(row.case_ids or []), case_id], updated_at=now,
                                    version=VISITS.c.version + 1)).rowcount
        if done != 1:
            raise Conflict(f"visit {self.visit_id} changed while the case was started; please try again")
        photo_ids = [pid for ids in conn.execute(select(VisitRecord.photo_ids).where(
            VisitRecord.request_id == self.visit_id)).scalars() for pid in ids or []]
        if photo_ids:
            conn.execute(update(StoredFile).where(StoredFile.id.in_(photo_ids), StoredFile.case_id.is_(None))
                         .values(case_id=case_id))
        return "visit_linked", {"visit_id": self.visit_id, "scenario": self.scenario_key}


def intake_prefill(applicant: User, visit: VisitRequest, form) -> dict:
    """The applicant's fields, and the EMS delivery back to the visit's
    address, among the fields this form has."""
    properties = (form.schema.get("properties") or {}) if form is not None else {}
    delivery = {"delivery_method": "ems", "delivery_address": visit.address,
                "delivery_recipient": visit.contact_name, "delivery_mobile": visit.contact_phone}
    return {**applicant_fields(applicant, properties),
            **{key: value for key, value in delivery.items()
               if key in properties and value not in ("", None) and fits(properties[key], value)}}
