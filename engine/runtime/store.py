"""The rows a command reads and writes, in SQLAlchemy Core.

Commands are the hot path (one per click in the hall), so they skip the ORM's
unit of work: a handful of plain statements on the transaction's connection.
Pages and the CLI read the same tables through the ORM models. The case's
optimistic lock is explicit here: UPDATE ... WHERE version = :seen, and a
lost race raises StaleCase so the command re-runs on the fresh state."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import delete, insert, select, update
from sqlalchemy.engine import Connection

from models import Case, CaseEvent, User, WorkItem

CASES, ITEMS, EVENTS, USERS = Case.__table__, WorkItem.__table__, CaseEvent.__table__, User.__table__


class StaleCase(Exception):
    """Another command changed the case after this one read it."""


@dataclass
class CaseRecord:
    reference: str
    scenario_key: str
    process_version_id: int
    status: str = "running"
    applicant_id: int | None = None
    applicant_name: str = ""
    current_step: str = ""
    due_at: datetime | None = None
    next_timer_at: datetime | None = None
    created_by_id: int | None = None
    created_at: datetime | None = None
    updated_at: datetime | None = None
    closed_at: datetime | None = None
    version: int = 1
    id: int | None = None
    state: str | None = field(default=None, repr=False)  # loaded only when needed


_CASE_COLUMNS = [f.name for f in fields(CaseRecord) if f.name != "state"]


@dataclass
class UserRecord:
    id: int
    username: str
    role: str
    department_code: str | None
    active: bool


@dataclass
class ItemRecord:
    id: int | None
    case_id: int
    task_id: str
    task_spec: str
    title_zh: str
    title_en: str
    department_code: str
    form_key: str
    permit: str
    claimed_by_id: int | None
    claimed_by_name: str
    claimed_at: datetime | None
    created_at: datetime
    due_at: datetime | None


_ITEM_COLUMNS = [f.name for f in fields(ItemRecord)]


def load_case(conn: Connection, case_id: int, lock: bool = False) -> CaseRecord | None:
    query = select(*(CASES.c[name] for name in _CASE_COLUMNS)).where(CASES.c.id == case_id)
    if lock:
        query = query.with_for_update()
    row = conn.execute(query).first()
    return CaseRecord(**row._mapping) if row is not None else None


def load_state(conn: Connection, case: CaseRecord) -> str:
    case.state = conn.execute(select(CASES.c.state).where(CASES.c.id == case.id)).scalar_one()
    return case.state


def insert_case(conn: Connection, case: CaseRecord) -> int:
    values = {name: getattr(case, name) for name in _CASE_COLUMNS if name != "id"}
    values["state"] = case.state
    case.id = conn.execute(insert(CASES).values(**values).returning(CASES.c.id)).scalar_one()
    return case.id


def update_case(conn: Connection, case: CaseRecord) -> None:
    """Write the case with its optimistic check; bump the record's version."""
    values = {name: getattr(case, name) for name in ("status", "current_step", "updated_at", "closed_at",
                                                     "due_at", "next_timer_at")}
    if case.state is not None:
        values["state"] = case.state
    result = conn.execute(update(CASES).where(CASES.c.id == case.id, CASES.c.version == case.version)
                          .values(version=case.version + 1, **values))
    if result.rowcount != 1:
        raise StaleCase(case.id)
    case.version += 1


def load_user(conn: Connection, actor) -> UserRecord | None:
    columns = (USERS.c.id, USERS.c.username, USERS.c.role, USERS.c.department_code, USERS.c.active)
    key = USERS.c.id if isinstance(actor, int) else USERS.c.username
    row = conn.execute(select(*columns).where(key == actor)).first()
    return UserRecord(**row._mapping) if row is not None else None


def open_items(conn: Connection, case_id: int) -> dict[str, ItemRecord]:
    rows = conn.execute(select(*(ITEMS.c[name] for name in _ITEM_COLUMNS))
                        .where(ITEMS.c.case_id == case_id).order_by(ITEMS.c.id))
    return {row.task_id: ItemRecord(**row._mapping) for row in rows}


def delete_items(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(delete(ITEMS).where(ITEMS.c.id.in_(ids)))


def insert_items(conn: Connection, items: list[ItemRecord]) -> None:
    if items:
        conn.execute(insert(ITEMS), [{name: getattr(i, name) for name in _ITEM_COLUMNS if name != "id"}
                                     for i in items])


def claim_item(conn: Connection, item_id: int, user: UserRecord, now: datetime) -> bool:
    """Conditional UPDATE: of two people claiming at once, one wins."""
    return conn.execute(update(ITEMS).where(ITEMS.c.id == item_id, ITEMS.c.claimed_by_id.is_(None))
                        .values(claimed_by_id=user.id, claimed_by_name=user.username,
                                claimed_at=now)).rowcount == 1


def release_item(conn: Connection, item_id: int) -> None:
    conn.execute(update(ITEMS).where(ITEMS.c.id == item_id)
                 .values(claimed_by_id=None, claimed_by_name="", claimed_at=None))


def insert_events(conn: Connection, case_id: int, events: list[dict]) -> None:
    if events:
        conn.execute(insert(EVENTS), [{**e, "case_id": case_id} for e in events])


def completions_of(conn: Connection, case_id: int, task_spec: str) -> list:
    return conn.execute(select(EVENTS.c.actor_name, EVENTS.c.at, EVENTS.c.payload)
                        .where(EVENTS.c.case_id == case_id, EVENTS.c.kind == "task_completed",
                               EVENTS.c.task_spec == task_spec).order_by(EVENTS.c.id.desc())).all()
