"""Which jobs the sweep runs. Each line imports a module whose @job
functions register themselves (engine/jobs.py)."""
from .jobs import JobContext, job
from .notifications import deliver_outbox


@job("deliver_outbox")
def _deliver_outbox(ctx: JobContext) -> int:
    return deliver_outbox(ctx.db, ctx.messenger, ctx.now)
from . import timer_jobs  # noqa: F401,E402 - fire_timers, remind_and_escalate
