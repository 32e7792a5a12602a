"""The engine's "now". SpiffWorkflow reads the wall clock inside its timer
events; ours read this instead (engine/timers.py), and so does the `now()`
helper of expressions. A command sets it to the runtime's clock for the time
it runs the engine, so a timer's due time, an expression's "now" and the
case's timestamps agree, and tests and the sweep pass an explicit `now`
instead of sleeping. A context variable: each thread (each web request,
each sweeper worker) has its own."""
from __future__ import annotations

from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime, timezone

_NOW: ContextVar[datetime | None] = ContextVar("onewindow_engine_now", default=None)


def engine_now() -> datetime:
    """The moment the engine is running at (aware, UTC)."""
    now = _NOW.get()
    return now if now is not None else datetime.now(timezone.utc)


@contextmanager
def running_at(now: datetime):
    if now.tzinfo is None:
        raise ValueError("the engine's clock needs an aware datetime")
    token = _NOW.set(now.astimezone(timezone.utc))
    try:
        yield
    finally:
        _NOW.reset(token)
