"""A benchmark's database: migrated, departments and demo users seeded; a
PostgreSQL database given is emptied first (the benchmarks say so)."""
from __future__ import annotations

from sqlalchemy import text

from engine.seeding import seed_demo_users, seed_departments
from models import Base, Database
from models.migrate import upgrade


def fresh_database(url: str) -> Database:
    db = Database(url)
    if not db.is_sqlite:
        with db.engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    upgrade(url)
    with db.write() as session:
        seed_departments(session)
        seed_demo_users(session)
    return db
