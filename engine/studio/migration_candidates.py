"""The running cases a designer may move to a newer version: those of the
scenario on an older version, each with the engine's check (can it move,
and if not, why), read-only (engine/case_migration.py)."""
from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Case, ProcessVersion

from ..case_migration import check_migration
from ..runtime.errors import NotFound

PAGE_SIZE = 50  # each check loads a workflow and compares specs: a page at a time


def target_version(session: Session, key: str, number: int | None) -> ProcessVersion:
    query = select(ProcessVersion).where(ProcessVersion.scenario_key == key)
    query = query.where(ProcessVersion.version == number) if number else query.where(ProcessVersion.active.is_(True))
    version = session.scalar(query)
    if version is None:
        raise NotFound(f"scenario {key!r} has no version {number or '(active)'}")
    return version


def candidates(session: Session, target: ProcessVersion, page: int = 1) -> tuple[list[dict], int]:
    """One page of the scenario's running cases on versions older than
    `target`, oldest first, each with its check; and how many there are."""
    older = (select(ProcessVersion.id).where(ProcessVersion.scenario_key == target.scenario_key,
                                             ProcessVersion.version < target.version))
    where = (Case.status == "running", Case.process_version_id.in_(older))
    total = session.scalar(select(func.count()).select_from(Case).where(*where)) or 0
    ids = session.scalars(select(Case.id).where(*where).order_by(Case.id)
                          .offset((max(page, 1) - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
    rows = []
    for case_id in ids:
        report = check_migration(session, case_id, target.id)
        case = session.get(Case, case_id)
        # No applicant's name: a designer moves cases, but does not handle them.
        rows.append({**report, "current_step": case.current_step, "created_at": case.created_at})
    return rows, total
