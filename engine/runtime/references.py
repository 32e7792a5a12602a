"""Human reference numbers such as JH-2026-000123, one sequence per year,
taken inside the case's own transaction."""
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from models import ReferenceCounter

from ..workcalendar import BEIJING

PREFIX = "JH"  # 江汉


def next_reference(conn: Connection, now: datetime) -> str:
    year = now.astimezone(BEIJING).year
    insert = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(
        insert(ReferenceCounter).values(prefix=PREFIX, year=year, last=0)
        .on_conflict_do_nothing(index_elements=["prefix", "year"])
    )
    number = conn.execute(
        update(ReferenceCounter)
        .where(ReferenceCounter.prefix == PREFIX, ReferenceCounter.year == year)
        .values(last=ReferenceCounter.last + 1)
        .returning(ReferenceCounter.last)
    ).scalar_one()
    return f"{PREFIX}-{year}-{number:06d}"


def current_counter(conn: Connection, year: int) -> int:
    return conn.scalar(
        select(ReferenceCounter.last).where(ReferenceCounter.prefix == PREFIX, ReferenceCounter.year == year)
    ) or 0
