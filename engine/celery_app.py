"""The sweep on Celery workers, for installations on several machines
(DESIGN.md decision 8). One task, "onewindow.sweep", runs the same jobs as
`onewindow sweep` (engine/jobs.py); Celery beat sends it every
ONEWINDOW_SWEEP_INTERVAL seconds. Any number of workers on any number of
machines may take it: each job locks what it changes (SKIP LOCKED on
PostgreSQL, conditional UPDATEs), so a timer fires once, and a second beat by
mistake only sweeps more often.

    celery -A engine.celery_app worker -B      # a worker with the beat (one machine)
    celery -A engine.celery_app worker          # more workers elsewhere
    onewindow worker --celery                   # the same as the first line

Settings (environment): ONEWINDOW_CELERY_BROKER (default
redis://127.0.0.1:6379/0), ONEWINDOW_CELERY_QUEUE (default "onewindow"),
ONEWINDOW_SWEEP_INTERVAL (seconds, default 30), and the database as for the
web application: ONEWINDOW_DATABASE_URL or DATABASE_URL (the database every
machine shares; PostgreSQL for more than one machine)."""
from __future__ import annotations

import os
import threading
from datetime import datetime

from celery import Celery

from models import Database

from .jobs import sweep

SWEEP_TASK = "onewindow.sweep"
DEFAULT_BROKER = "redis://127.0.0.1:6379/0"

_db: Database | None = None
_db_lock = threading.Lock()


def database() -> Database:
    """This worker process's database (one connection pool per process)."""
    global _db
    with _db_lock:
        if _db is None:
            url = os.environ.get("ONEWINDOW_DATABASE_URL") or os.environ.get("DATABASE_URL")
            if not url:
                raise RuntimeError("set ONEWINDOW_DATABASE_URL (or DATABASE_URL) to the database every worker "
                                   "shares, e.g. postgresql+psycopg://onewindow@db/onewindow")
            _db = Database(url)
        return _db


def run_sweep(at: str | None = None, only: list[str] | None = None) -> dict[str, int]:
    """The task body: one sweep, as of `at` (ISO, for replays) or now."""
    return sweep(database(), now=datetime.fromisoformat(at) if at else None, only=tuple(only or ()))


def make_celery(broker: str | None = None, queue: str | None = None, interval: float | None = None) -> Celery:
    app = Celery("onewindow", broker=broker or os.environ.get("ONEWINDOW_CELERY_BROKER", DEFAULT_BROKER))
    every = interval or float(os.environ.get("ONEWINDOW_SWEEP_INTERVAL", "30"))
    app.conf.update(
        task_default_queue=queue or os.environ.get("ONEWINDOW_CELERY_QUEUE", "onewindow"),
        task_ignore_result=True,  # the sweep's outcome is in the database and the log
        broker_connection_retry_on_startup=True,
        timezone="Asia/Shanghai",
        # A sweep not taken within an interval is superseded by the next one.
        beat_schedule={"onewindow-sweep": {"task": SWEEP_TASK, "schedule": every, "options": {"expires": every}}},
    )
    app.task(name=SWEEP_TASK)(run_sweep)
    return app


app = make_celery()
