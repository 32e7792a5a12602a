"""What the studio lists: every scenario with its versions, the running
cases on each version, and its draft. Read from the version and draft rows
and one grouped count of cases; no file is parsed."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Case, ProcessDraft, ProcessVersion

HASH_SHOWN = 10


@dataclass
class VersionRow:
    id: int
    number: int
    deployed_by: str
    deployed_at: datetime
    content_hash: str
    active: bool
    running: int

    @property
    def short_hash(self) -> str:
        return self.content_hash[:HASH_SHOWN]


@dataclass
class DraftRow:
    revision: int
    updated_by: str
    updated_at: datetime
    problems: int
    base_version: int | None  # the version number it was opened from


@dataclass
class ScenarioRow:
    key: str
    name_zh: str
    name_en: str
    category: str
    versions: list[VersionRow] = field(default_factory=list)
    draft: DraftRow | None = None

    @property
    def active(self) -> VersionRow | None:
        return next((v for v in self.versions if v.active), None)

    @property
    def running(self) -> int:
        return sum(v.running for v in self.versions)


def scenarios(session: Session, key: str | None = None) -> list[ScenarioRow]:
    """Every scenario (or the one `key`), newest version first, in the
    library's order: category, then key. A new scenario's draft without a
    version is listed too."""
    columns = (ProcessVersion.id, ProcessVersion.scenario_key, ProcessVersion.version, ProcessVersion.name_zh,
               ProcessVersion.name_en, ProcessVersion.category, ProcessVersion.deployed_by_name,
               ProcessVersion.deployed_at, ProcessVersion.content_hash, ProcessVersion.active)
    query = select(*columns).order_by(ProcessVersion.scenario_key, ProcessVersion.version.desc())
    running_query = (select(Case.process_version_id, func.count()).where(Case.status == "running")
                     .group_by(Case.process_version_id))
    draft_query = select(ProcessDraft)
    if key is not None:
        query = query.where(ProcessVersion.scenario_key == key)
        running_query = running_query.where(Case.scenario_key == key)
        draft_query = draft_query.where(ProcessDraft.scenario_key == key)
    running = dict(session.execute(running_query).all())
    rows: dict[str, ScenarioRow] = {}
    numbers: dict[int, int] = {}
    for v in session.execute(query):
        row = rows.get(v.scenario_key)
        if row is None:
            row = rows[v.scenario_key] = ScenarioRow(v.scenario_key, v.name_zh, v.name_en, v.category)
        if v.active:  # the active version names the scenario
            row.name_zh, row.name_en, row.category = v.name_zh, v.name_en, v.category
        numbers[v.id] = v.version
        row.versions.append(VersionRow(v.id, v.version, v.deployed_by_name, v.deployed_at, v.content_hash, v.active,
                                       running.get(v.id, 0)))
    for draft in session.scalars(draft_query):
        row = rows.get(draft.scenario_key)
        if row is None:
            row = rows[draft.scenario_key] = ScenarioRow(draft.scenario_key, draft.scenario_key, draft.scenario_key,
                                                         "draft")
        row.draft = DraftRow(draft.revision, draft.updated_by_name, draft.updated_at, len(draft.problems or []),
                             numbers.get(draft.base_version_id))
    return sorted(rows.values(), key=lambda r: (r.category, r.key))
