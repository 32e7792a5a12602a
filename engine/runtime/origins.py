"""Where a case comes from when it is not a plain intake at the window: a
visit made at the applicant's home (上门办), ... A CaseOrigin runs inside
start_case's transaction: it decides who may start the case from it (the
staff who made the visit may, though they are not window clerks), names
the applicant the case belongs to, and records the link, so the case and
its origin change together or not at all."""
from __future__ import annotations

from datetime import datetime
from typing import Protocol

from .store import UserRecord


class CaseOrigin(Protocol):
    def check(self, conn, user: UserRecord) -> int | None:
        """The applicant's user id; raise Forbidden or Conflict when `user`
        may not start a case from this origin (now)."""

    def link(self, conn, case_id: int, user: UserRecord, now: datetime) -> tuple[str, dict]:
        """Record the new case on the origin; return the case event
        (kind, payload) that records the origin on the case."""
