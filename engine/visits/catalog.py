"""The items an applicant may ask staff to come for: the deployed
scenarios (not the shared blocks), and the departments they involve."""
from __future__ import annotations

from sqlalchemy import select

from models import ProcessVersion


def offered_items(session) -> list[ProcessVersion]:
    return session.scalars(select(ProcessVersion).where(
        ProcessVersion.active.is_(True), ProcessVersion.category != "shared_block")
        .order_by(ProcessVersion.category, ProcessVersion.scenario_key)).all()


def departments_of(session, scenario_keys: list[str]) -> set[str]:
    metas = session.scalars(select(ProcessVersion.meta).where(
        ProcessVersion.active.is_(True), ProcessVersion.scenario_key.in_(scenario_keys or [""]))).all()
    return {code for meta in metas for code in (meta or {}).get("departments") or []}
