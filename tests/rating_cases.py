"""A delivered case of a demo applicant, quickly: an existing company's small
restaurant (food review, its on-site inspection, environment, delivery),
started at the window on the applicant's behalf at a fixed moment, so that
working-day deadlines are known."""
from __future__ import annotations

from datetime import datetime, timezone

from sqlalchemy import select

from engine.runtime.service import Runtime
from engine.runtime.workflow_cache import WorkflowCache
from models import User
from tests.walk import Walker, load_intake

# Monday 2 June 2025 (the Dragon Boat holiday), 10:00 Beijing.
START = datetime(2025, 6, 2, 2, 0, tzinfo=timezone.utc)
SMALL_EXISTING = dict(has_company=True, uscc="91420103MA4K0JH0WD", area_m2=30, has_sign=False,
                      discharge_to_sewer=False, remote_inspection=False)


def user_id(db, username: str) -> int:
    with db.read() as session:
        return session.scalar(select(User.id).where(User.username == username))


def fixed_runtime(db, at: datetime = START) -> Runtime:
    return Runtime(db, clock=lambda: at, workflow_cache=WorkflowCache())


def started_case(db, applicant: str = "company", at: datetime = START, **changes) -> Walker:
    runtime = fixed_runtime(db, at)
    result = runtime.start_case("restaurant", {**load_intake("restaurant"), **SMALL_EXISTING, **changes}, "clerk",
                                applicant_id=user_id(db, applicant))
    walk = Walker(runtime, result.case_id)
    walk.last = result
    return walk


def delivered_case(db, applicant: str = "company", at: datetime = START, decision: str = "approve") -> int:
    """The id of a completed (or, with decision="reject", rejected) case."""
    walk = started_case(db, applicant, at)
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_FoodReview", decision=decision)
    if decision == "approve":
        walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
        walk.complete("Task_Delivery", method="window")
    else:
        walk.complete("Task_RejectionNotice")
    assert walk.case().status == ("completed" if decision == "approve" else "rejected"), walk.open_tasks()
    return walk.case_id
