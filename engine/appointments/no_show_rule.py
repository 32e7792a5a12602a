"""The no-show rule (爽约): too many no-shows close online booking for a
while. Pure date arithmetic over an applicant's no-show times."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from models import Appointment

from .rules import BLOCK_DAYS, NO_SHOW_LIMIT, NO_SHOW_WINDOW_DAYS


def block_end(no_shows: list[datetime], now: datetime) -> datetime | None:
    """When online booking opens again, or None if it is open: each run of
    NO_SHOW_LIMIT no-shows within NO_SHOW_WINDOW_DAYS blocks it for
    BLOCK_DAYS after the last no-show of the run."""
    times = sorted(no_shows)
    window, block = timedelta(days=NO_SHOW_WINDOW_DAYS), timedelta(days=BLOCK_DAYS)
    until = None
    for i in range(NO_SHOW_LIMIT - 1, len(times)):
        if times[i] - times[i - NO_SHOW_LIMIT + 1] <= window and times[i] + block > now:
            until = max(until or times[i] + block, times[i] + block)
    return until


def blocked_until(session_or_conn, applicant_id: int, now: datetime) -> datetime | None:
    since = now - timedelta(days=NO_SHOW_WINDOW_DAYS + BLOCK_DAYS)
    times = session_or_conn.execute(select(Appointment.no_show_at).where(
        Appointment.applicant_id == applicant_id, Appointment.status == "no_show",
        Appointment.no_show_at >= since)).scalars().all()
    return block_end(list(times), now)
