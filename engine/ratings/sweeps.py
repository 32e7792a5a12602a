"""The ratings' periodic jobs (engine/jobs.py): escalate rectifications past
their deadline to the supervisor (once each), report logged fixes past their
own date (once each), and record the default rating of cases nobody rated
in time (once each). Each row in its own transaction,
locked with SKIP LOCKED on PostgreSQL so two workers never act twice."""
from __future__ import annotations

from datetime import timedelta

from sqlalchemy import exists, select

from models import Case, Rating, Rectification

from ..appointments.hall_calendar import beijing_today
from ..case_audit import record_event
from ..jobs import JobContext, job
from ..notifications import notify_department, notify_role
from .rules import DEFAULT_AFTER_DAYS, DEFAULT_SCORE, RATEABLE_STATUSES

BATCH = 200


def _each_due(ctx: JobContext, model, due: tuple, act) -> int:
    """act(session, row) for every row of `model` matching `due`, each in its
    own transaction, re-checked under its lock (SKIP LOCKED on PostgreSQL: a
    row another worker holds is left to it)."""
    with ctx.db.read() as session:
        ids = session.scalars(select(model.id).where(*due).order_by(model.id).limit(BATCH)).all()
    done = 0
    for row_id in ids:
        with ctx.db.write() as session:
            query = select(model).where(model.id == row_id, *due)
            row = session.scalar(query if ctx.db.is_sqlite else query.with_for_update(skip_locked=True))
            if row is None:
                continue  # done meanwhile, or another worker has it
            act(session, row)
            done += 1
    return done


@job("ratings_escalate_overdue")
def escalate_overdue(ctx: JobContext) -> int:
    def escalate(session, rect: Rectification) -> None:
        rect.escalated_at = ctx.now
        reference = session.scalar(select(Case.reference).where(Case.id == rect.case_id))
        record_event(session, rect.case_id, ctx.now, "rectification_escalated",
                     department_code=rect.department_code, payload={"rectification": rect.id})
        notify_role(session, "supervisor", "rectification_overdue", f"差评整改逾期：{reference}",
                    f"{rect.department_code} 未在期限内完成整改。", f"/rectifications/{rect.id}", now=ctx.now)

    return _each_due(ctx, Rectification, (Rectification.status == "open", Rectification.deadline_at < ctx.now,
                                          Rectification.escalated_at.is_(None)), escalate)


@job("ratings_logged_fix_overdue")
def report_overdue_fixes(ctx: JobContext) -> int:
    """建立台账、限期整改: the fix not recorded by the end of its date (Beijing)
    goes to the supervisor, and back to the department."""
    def report(session, rect: Rectification) -> None:
        rect.fix_escalated_at = ctx.now
        reference = session.scalar(select(Case.reference).where(Case.id == rect.case_id))
        due_on = rect.outcome_due_on.isoformat()
        record_event(session, rect.case_id, ctx.now, "rectification_fix_overdue",
                     department_code=rect.department_code, payload={"rectification": rect.id, "due_on": due_on})
        link = f"/rectifications/{rect.id}"
        notify_role(session, "supervisor", "rectification_fix_overdue", f"台账整改逾期：{reference}",
                    f"{rect.department_code} 承诺于 {due_on} 前完成的整改尚未销号。", link, now=ctx.now)
        notify_department(session, rect.department_code, "rectification_fix_overdue", f"台账整改逾期：{reference}",
                          f"承诺于 {due_on} 前完成的整改尚未记录完成，已报督查。", link, now=ctx.now)

    return _each_due(ctx, Rectification, (Rectification.outcome == "logged", Rectification.fixed_at.is_(None),
                                          Rectification.outcome_due_on < beijing_today(ctx.now),
                                          Rectification.fix_escalated_at.is_(None)), report)


@job("ratings_default")
def record_default_ratings(ctx: JobContext) -> int:
    """满意 (★4), marked as the default, for a case delivered DEFAULT_AFTER_DAYS
    calendar days ago and still unrated."""
    def rate_by_default(session, case: Case) -> None:
        session.add(Rating(case_id=case.id, applicant_id=case.applicant_id, channel="default", score=DEFAULT_SCORE,
                           indicators={}, comment="", is_default=True, created_at=ctx.now, excluded=False))
        record_event(session, case.id, ctx.now, "rated", payload={"score": DEFAULT_SCORE, "channel": "default"})

    cutoff = ctx.now - timedelta(days=DEFAULT_AFTER_DAYS)
    return _each_due(ctx, Case, (Case.status.in_(RATEABLE_STATUSES), Case.closed_at <= cutoff,
                                 ~exists(select(Rating.id).where(Rating.case_id == Case.id))), rate_by_default)
