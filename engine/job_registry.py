"""Which jobs the sweep runs. Each line imports a module whose @job
functions register themselves (engine/jobs.py)."""
from .jobs import JobContext, job
from .notifications import deliver_outbox


@job("deliver_outbox")
def _deliver_outbox(ctx: JobContext) -> int:
    return deliver_outbox(ctx.db, ctx.messenger, ctx.now)
from .appointments import jobs as _appointment_jobs  # noqa: E402,F401
from .ratings import sweeps as _ratings_sweeps  # noqa: E402,F401
from .enterprise import escalation as _enterprise_escalation  # noqa: F401,E402  (@job enterprise_escalation)
from . import timer_jobs  # noqa: F401,E402 - fire_timers, remind_and_escalate
