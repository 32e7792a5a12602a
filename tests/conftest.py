"""Fixtures: every database test runs on SQLite, and again on PostgreSQL when
TEST_DATABASE_URL is set (CI sets it). The schema is migrated with Alembic,
the departments and demo users seeded and the process library deployed once
per session; each test then gets a fresh copy (SQLite) or emptied case
tables (PostgreSQL)."""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest
from sqlalchemy import bindparam, text

# Check every reuse of a cached task serialization against a fresh one
# (engine/state_codec.py); must be set before the engine is imported.
os.environ.setdefault("ONEWINDOW_VERIFY_STATE", "1")

from engine.deployment import deploy_paths  # noqa: E402
from engine.runtime.service import Runtime
from engine.runtime.workflow_cache import WorkflowCache
from engine.demo_data import demo_users
from engine.seeding import seed_demo_users, seed_departments
from models import Base, Database
from models.migrate import upgrade

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = ROOT / "processes"
DATA = Path(__file__).resolve().parent / "data"
# Emptied between PostgreSQL tests; a feature's tables go here.
CASE_TABLES = (
    "case_events",
    "work_items",
    "cases",
    "reference_counters",
    "api_tokens",
    "notifications",
    "stored_files",
    "calendar_days",
    "calendar_years",
    "appointments",
    "appointment_slots",
    "hall_windows",
    "hall_sessions",
    "visit_records",
    "visit_requests",
    "rating_appeals",
    "rectifications",
    "ratings",
    "key_project_cases",
    "key_projects",
    "enterprise_escalations",
    "enterprise_requests",
    "policy_notice_industries",
    "policy_notices",
    "work_item_history",
    "case_durations",
    "ranking_weights",
    "application_files",
    "online_applications",
    "process_drafts",
)


def _prepare(url: str) -> None:
    upgrade(url)
    db = Database(url)
    with db.write() as session:
        seed_departments(session)
        seed_demo_users(session)
        deploy_paths(session, [PROCESSES])
    db.dispose()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("template") / "onewindow.sqlite"
    _prepare(f"sqlite:///{path}")
    return path


def _worker_database(url: str, worker_id: str) -> str:
    """Under pytest-xdist each worker gets a database of its own
    (<name>_gw0, ...), created on first use; alone, the URL as given."""
    if worker_id in ("master", ""):
        return url
    from sqlalchemy.engine import make_url

    base = make_url(url)
    name = f"{base.database}_{worker_id}"
    admin = Database(base.set(database="postgres").render_as_string(hide_password=False))
    try:
        with admin.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
    finally:
        admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def postgres_url(request) -> str:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        pytest.skip("TEST_DATABASE_URL is not set: PostgreSQL runs are skipped (CI sets it)")
    try:
        url = _worker_database(url, getattr(request.config, "workerinput", {}).get("workerid", "master"))
        db = Database(url)
        with db.engine.begin() as conn:
            Base.metadata.drop_all(conn)
            conn.execute(text("DROP TABLE IF EXISTS alembic_version"))
    except Exception as exc:  # noqa: BLE001 - report why, then skip
        pytest.skip(f"PostgreSQL at TEST_DATABASE_URL is not reachable: {exc.__class__.__name__}: {exc}")
    db.dispose()
    _prepare(url)
    return url


def make_database(kind: str, request, tmp_path) -> Database:
    if kind == "sqlite":
        target = tmp_path / "onewindow.sqlite"
        shutil.copy(request.getfixturevalue("sqlite_template"), target)
        return Database(f"sqlite:///{target}")
    url = request.getfixturevalue("postgres_url")
    db = Database(url)
    with db.engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(CASE_TABLES) + " RESTART IDENTITY CASCADE"))
        # Users registered by a test go; the seeded staff and applicants stay.
        conn.execute(text("DELETE FROM users WHERE username NOT IN :seeded").bindparams(
            bindparam("seeded", expanding=True)), {"seeded": [u["username"] for u in demo_users()]})
    return db


@pytest.fixture(params=["sqlite", "postgresql"])
def db(request, tmp_path):
    database = make_database(request.param, request, tmp_path)
    yield database
    database.dispose()


@pytest.fixture
def runtime(db) -> Runtime:
    return Runtime(db, workflow_cache=WorkflowCache())


@pytest.fixture
def intake() -> dict:
    return json.loads((DATA / "restaurant_intake.json").read_text(encoding="utf-8"))


@pytest.fixture
def app(db, tmp_path):
    """The web application on the test database (rate limits reset)."""
    from web import create_app
    from web.extensions import limiter

    application = create_app({"TESTING": True, "DATABASE_URL": db.url, "SECRET_KEY": "test-secret",
                              "UPLOAD_FOLDER": str(tmp_path / "uploads")})
    limiter.reset()
    return application
