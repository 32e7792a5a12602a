"""Periodic jobs (DESIGN.md decision 8: nothing fires by itself). Each
feature registers a job; one sweep runs them all. The sweep runs in a thread
of `onewindow serve`, from `onewindow sweep` (once, e.g. from cron), and in
`onewindow worker`. A job must be safe to run twice and from two processes
at once: it finds due rows and changes each in its own transaction, with
SKIP LOCKED on PostgreSQL."""
from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import Callable

from models import utcnow

from .messaging import Messenger, configured_messenger

log = logging.getLogger("onewindow.jobs")


@dataclass(frozen=True)
class JobContext:
    db: object  # models.Database
    now: datetime
    messenger: Messenger


JobFn = Callable[[JobContext], int]
JOBS: dict[str, JobFn] = {}


def job(name: str):
    """Register fn(ctx) -> number of things it did, under `name`."""
    def register(fn: JobFn) -> JobFn:
        JOBS[name] = fn
        return fn

    return register


def _load_jobs() -> None:
    # The modules that register jobs; imported here so every entry point
    # (serve, sweep, worker, tests) runs the same set.
    from . import job_registry  # noqa: F401


def sweep(db, now: datetime | None = None, messenger: Messenger | None = None,
          only: tuple[str, ...] = ()) -> dict[str, int]:
    """Run every job (or those named in `only`) once; a failing job is logged
    and reported as -1, and never stops the others."""
    from .workcalendar import refresh_overrides

    _load_jobs()
    with db.transaction() as conn:
        refresh_overrides(conn)  # follow the administrator's calendar edits
    ctx = JobContext(db, now or utcnow(), messenger or configured_messenger())
    done: dict[str, int] = {}
    for name, fn in sorted(JOBS.items()):
        if only and name not in only:
            continue
        try:
            done[name] = fn(ctx)
        except Exception:  # noqa: BLE001 - one job's failure must not stop the sweep
            log.exception("job %s failed", name)
            done[name] = -1
    return done


class Sweeper(threading.Thread):
    """The embedded driver: a daemon thread sweeping every `interval` seconds."""

    def __init__(self, db, interval: float = 30.0, messenger: Messenger | None = None):
        super().__init__(name="onewindow-sweeper", daemon=True)
        self.db, self.interval, self.messenger = db, interval, messenger
        self.stopped = threading.Event()

    def run(self) -> None:
        while not self.stopped.wait(self.interval):
            sweep(self.db, messenger=self.messenger)

    def stop(self) -> None:
        self.stopped.set()
