"""Writing a case event (models.CaseEvent, the append-only audit) from a
feature outside the runtime, on an ORM session or a Core connection alike,
in the caller's transaction."""
from __future__ import annotations

from datetime import datetime

from .runtime import store


def record_event(conn, case_id: int, now: datetime, kind: str, actor=None, department_code: str = "",
                 payload: dict | None = None) -> None:
    """`actor`: anything with id and username (a User or a UserRecord), or
    None for the system (a sweep)."""
    store.insert_events(conn, case_id, [{
        "at": now, "actor_id": actor.id if actor is not None else None,
        "actor_name": actor.username if actor is not None else "system", "kind": kind, "task_spec": "",
        "task_title": "", "department_code": department_code or "", "payload": payload or {}}])
