"""The rows a command reads and writes, in SQLAlchemy Core.

Commands are the hot path (one per click in the hall), so they skip the ORM's
unit of work: a handful of plain statements on the transaction's connection.
Pages and the CLI read the same tables through the ORM models. The case's
optimistic lock is explicit here: UPDATE ... WHERE version = :seen, and a
lost race raises StaleCase so the command re-runs on the fresh state."""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime

from sqlalchemy import bindparam, delete, insert, select, update
from sqlalchemy.engine import Connection

from models import Case, CaseEvent, ProcessVersion, User, WorkItem

CASES, ITEMS, EVENTS, USERS = Case.__table__, WorkItem.__table__, CaseEvent.__table__, User.__table__
VERSIONS = ProcessVersion.__table__


class StaleCase(Exception):
    """Another command changed the case after this one read it."""


@dataclass
class CaseRecord:
    reference: str
    scenario_key: str
    process_version_id: int
    status: str = "running"
    key_project: bool = False
    applicant_id: int | None = None
    applicant_name: str = ""
    applicant_key: str = ""
    current_step: str = ""
    due_at: datetime | None = None
    next_timer_at: datetime | None = None
    clock_paused_at: datetime | None = None
    clock_paused_seconds: int = 0
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


# Statements built once: constructing a statement costs as much as running it.
_SELECT_CASE = select(*(CASES.c[name] for name in _CASE_COLUMNS)).where(CASES.c.id == bindparam("case_id"))
_SELECT_CASE_LOCKED = _SELECT_CASE.with_for_update()
_SELECT_STATE = select(CASES.c.state).where(CASES.c.id == bindparam("case_id"))
_SELECT_ITEMS = (select(*(ITEMS.c[name] for name in _ITEM_COLUMNS))
                 .where(ITEMS.c.case_id == bindparam("case_id")).order_by(ITEMS.c.id))
_USER_COLUMNS = (USERS.c.id, USERS.c.username, USERS.c.role, USERS.c.department_code, USERS.c.active)
_SELECT_USER_BY_ID = select(*_USER_COLUMNS).where(USERS.c.id == bindparam("key"))
_SELECT_USER_BY_NAME = select(*_USER_COLUMNS).where(USERS.c.username == bindparam("key"))
_UPDATE_CASE = (update(CASES).where(CASES.c.id == bindparam("case_id"), CASES.c.version == bindparam("seen"))
                .values(version=bindparam("new_version"), status=bindparam("status"),
                        current_step=bindparam("current_step"), updated_at=bindparam("updated_at"),
                        closed_at=bindparam("closed_at"), due_at=bindparam("due_at"),
                        next_timer_at=bindparam("next_timer_at"), clock_paused_at=bindparam("clock_paused_at"),
                        clock_paused_seconds=bindparam("clock_paused_seconds"), state=bindparam("state")))


_VERSION_COLUMNS = (VERSIONS.c.id, VERSIONS.c.scenario_key, VERSIONS.c.process_id, VERSIONS.c.version,
                    VERSIONS.c.content_hash, VERSIONS.c.name_zh, VERSIONS.c.name_en, VERSIONS.c.category)
_SELECT_ACTIVE_VERSION = select(*_VERSION_COLUMNS).where(VERSIONS.c.scenario_key == bindparam("key"),
                                                         VERSIONS.c.active.is_(True))
_SELECT_VERSION = select(*_VERSION_COLUMNS, VERSIONS.c.files, VERSIONS.c.meta).where(
    VERSIONS.c.id == bindparam("version_id"))
_DELETE_ITEMS = delete(ITEMS).where(ITEMS.c.id.in_(bindparam("ids", expanding=True)))
_INSERT_ITEMS = insert(ITEMS)
_INSERT_EVENTS = insert(EVENTS)


def active_version(conn: Connection, scenario_key: str):
    """id, scenario_key, process_id, version, content_hash, names and category
    of the active version (not its files)."""
    return conn.execute(_SELECT_ACTIVE_VERSION, {"key": scenario_key}).first()


def version_with_files(conn: Connection, version_id: int):
    return conn.execute(_SELECT_VERSION, {"version_id": version_id}).first()


def load_case(conn: Connection, case_id: int, lock: bool = False) -> CaseRecord | None:
    row = conn.execute(_SELECT_CASE_LOCKED if lock else _SELECT_CASE, {"case_id": case_id}).first()
    return CaseRecord(**row._mapping) if row is not None else None


def load_due_case(conn: Connection, case_id: int, now: datetime, skip_locked: bool) -> CaseRecord | None:
    """The case if a timer of it is due at `now`, locked for this
    transaction; None if not due (any more) or, with skip_locked, held by
    another worker's transaction."""
    query = _SELECT_CASE.where(CASES.c.next_timer_at <= bindparam("now"))
    if skip_locked:
        query = query.with_for_update(skip_locked=True)
    row = conn.execute(query, {"case_id": case_id, "now": now}).first()
    return CaseRecord(**row._mapping) if row is not None else None


def load_state(conn: Connection, case: CaseRecord) -> str:
    case.state = conn.execute(_SELECT_STATE, {"case_id": case.id}).scalar_one()
    return case.state


_INSERT_CASE = insert(CASES).returning(CASES.c.id)


def insert_case(conn: Connection, case: CaseRecord) -> int:
    values = {name: getattr(case, name) for name in _CASE_COLUMNS if name != "id"}
    values["state"] = case.state
    case.id = conn.execute(_INSERT_CASE, values).scalar_one()
    return case.id


def update_case(conn: Connection, case: CaseRecord) -> None:
    """Write the case with its optimistic check; bump the record's version."""
    if case.state is None:
        raise ValueError("update_case needs the state to write")
    result = conn.execute(_UPDATE_CASE, {
        "case_id": case.id, "seen": case.version, "new_version": case.version + 1, "status": case.status,
        "current_step": case.current_step, "updated_at": case.updated_at, "closed_at": case.closed_at,
        "due_at": case.due_at, "next_timer_at": case.next_timer_at, "clock_paused_at": case.clock_paused_at,
        "clock_paused_seconds": case.clock_paused_seconds, "state": case.state})
    if result.rowcount != 1:
        raise StaleCase(case.id)
    case.version += 1


def load_user(conn: Connection, actor) -> UserRecord | None:
    query = _SELECT_USER_BY_ID if isinstance(actor, int) else _SELECT_USER_BY_NAME
    row = conn.execute(query, {"key": actor}).first()
    return UserRecord(**row._mapping) if row is not None else None


def account_key(conn: Connection, user_id: int | None) -> str:
    """An applicant account's USCC (a company) or ID card number (a person)."""
    if user_id is None:
        return ""
    row = conn.execute(select(USERS.c.uscc, USERS.c.id_number).where(USERS.c.id == user_id)).first()
    return ((row.uscc or row.id_number or "").strip().upper())[:32] if row is not None else ""


def open_items(conn: Connection, case_id: int) -> dict[str, ItemRecord]:
    rows = conn.execute(_SELECT_ITEMS, {"case_id": case_id})
    return {row.task_id: ItemRecord(**row._mapping) for row in rows}


def delete_items(conn: Connection, ids: list[int]) -> None:
    if ids:
        conn.execute(_DELETE_ITEMS, {"ids": ids})


def insert_items(conn: Connection, items: list[ItemRecord]) -> None:
    if items:
        conn.execute(_INSERT_ITEMS, [{name: getattr(i, name) for name in _ITEM_COLUMNS if name != "id"}
                                     for i in items])


def claim_item(conn: Connection, item_id: int, user: UserRecord, now: datetime) -> bool:
    """Conditional UPDATE: of two people claiming at once, one wins."""
    return conn.execute(update(ITEMS).where(ITEMS.c.id == item_id, ITEMS.c.claimed_by_id.is_(None))
                        .values(claimed_by_id=user.id, claimed_by_name=user.username,
                                claimed_at=now)).rowcount == 1


def assign_item(conn: Connection, item_id: int, holder_id: int | None, to: UserRecord, now: datetime) -> bool:
    """Hand a work item to a colleague, only if its claim is still what the
    caller saw (so two hand-overs never cross)."""
    holder = ITEMS.c.claimed_by_id.is_(None) if holder_id is None else ITEMS.c.claimed_by_id == holder_id
    return conn.execute(update(ITEMS).where(ITEMS.c.id == item_id, holder)
                        .values(claimed_by_id=to.id, claimed_by_name=to.username, claimed_at=now)).rowcount == 1


def set_item_due(conn: Connection, item_id: int, due_at: datetime | None) -> None:
    conn.execute(update(ITEMS).where(ITEMS.c.id == item_id).values(due_at=due_at))


def release_item(conn: Connection, item_id: int) -> None:
    conn.execute(update(ITEMS).where(ITEMS.c.id == item_id)
                 .values(claimed_by_id=None, claimed_by_name="", claimed_at=None))


def insert_events(conn: Connection, case_id: int, events: list[dict]) -> None:
    if events:
        conn.execute(_INSERT_EVENTS, [{**e, "case_id": case_id} for e in events])


def completions_of(conn: Connection, case_id: int, task_spec: str) -> list:
    return conn.execute(select(EVENTS.c.actor_name, EVENTS.c.at, EVENTS.c.payload)
                        .where(EVENTS.c.case_id == case_id, EVENTS.c.kind == "task_completed",
                               EVENTS.c.task_spec == task_spec).order_by(EVENTS.c.id.desc())).all()
