"""A case starting for an applicant on the key-project list: flagged (first
in every queue), linked to its project, its steward (项目管家) assigned and
told, and the scenario's shorter promise used. Runs inside the runtime's
start_case transaction, on its Core connection."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import insert, select

from models import KeyProject, KeyProjectCase

from ..case_audit import record_event
from ..notifications import notify

GREEN_PROMISE_KEY = "promised_working_days_green"


def project_for(conn, applicant_key: str):
    """The active key project covering this applicant (the newest if
    several), or None."""
    if not applicant_key:
        return None
    return conn.execute(select(KeyProject.id, KeyProject.name, KeyProject.level, KeyProject.steward_id)
                        .where(KeyProject.applicant_key == applicant_key.strip().upper(),
                               KeyProject.active.is_(True))
                        .order_by(KeyProject.id.desc()).limit(1)).first()


def promised_working_days(metadata: dict, key_project: bool) -> float | None:
    """The scenario's promise; a key project's shorter one where the
    scenario's metadata names it."""
    if key_project and metadata.get(GREEN_PROMISE_KEY) is not None:
        return metadata[GREEN_PROMISE_KEY]
    return metadata.get("promised_working_days")


def attach(conn, project, case_id: int, reference: str, actor, now: datetime) -> None:
    conn.execute(insert(KeyProjectCase).values(case_id=case_id, key_project_id=project.id,
                                               steward_id=project.steward_id, attached_at=now))
    record_event(conn, case_id, now, "key_project_attached", actor, payload={
        "key_project": project.id, "name": project.name, "level": project.level, "steward": project.steward_id})
    notify(conn, project.steward_id, "key_project_case", f"重点项目新办件：{reference}",
           f"{project.name} 的办件 {reference} 已受理，您是该项目的项目管家。", f"/cases/{case_id}", now=now)
