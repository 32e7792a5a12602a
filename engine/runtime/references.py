"""Human reference numbers such as JH-2026-000123, one sequence per year,
taken inside the case's own transaction."""
from datetime import datetime

from sqlalchemy import bindparam, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Connection

from models import ReferenceCounter

from ..workcalendar import BEIJING

PREFIX = "JH"  # 江汉


COUNTERS = ReferenceCounter.__table__
_ENSURE = {dialect: insert(COUNTERS).values(prefix=bindparam("p_prefix"), year=bindparam("p_year"), last=0)
           .on_conflict_do_nothing(index_elements=["prefix", "year"])
           for dialect, insert in (("postgresql", pg_insert), ("sqlite", sqlite_insert))}
_NEXT = (update(COUNTERS).where(COUNTERS.c.prefix == bindparam("p_prefix"), COUNTERS.c.year == bindparam("p_year"))
         .values(last=COUNTERS.c.last + 1).returning(COUNTERS.c.last))


def next_reference(conn: Connection, now: datetime) -> str:
    params = {"p_prefix": PREFIX, "p_year": now.astimezone(BEIJING).year}
    conn.execute(_ENSURE[conn.dialect.name], params)
    number = conn.execute(_NEXT, params).scalar_one()
    return f"{PREFIX}-{params['p_year']}-{number:06d}"

