"""Shared by the studio's tests: the restaurant's BPMN changed the way a
designer would, and a fixture that puts the process library back after a
test that deployed (PostgreSQL keeps process_versions between tests)."""
from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update

from models import ProcessVersion, User

FOOD_TASK = 'name="食品经营许可 材料审查"'
FOOD_CONDITION = "approvals['food']['decision'] == 'approve'"


def renamed_food_review(bpmn: str, name: str = "食品经营许可 材料审核（新）") -> str:
    assert FOOD_TASK in bpmn
    return bpmn.replace(FOOD_TASK, f'name="{name}"')


def broken_condition(bpmn: str, condition: str = "__import__('os').system('true')") -> str:
    """Flow_FoodReviewPassed's condition replaced by one the restricted
    evaluator refuses."""
    assert FOOD_CONDITION in bpmn
    return bpmn.replace(FOOD_CONDITION, condition)


def user(session, username: str) -> User:
    return session.scalar(select(User).where(User.username == username))


@pytest.fixture
def library_restored(db):
    """Versions deployed by the test go, the seeded ones are active again."""
    with db.read() as session:
        last = session.scalar(select(ProcessVersion.id).order_by(ProcessVersion.id.desc()).limit(1))
        active = list(session.scalars(select(ProcessVersion.id).where(ProcessVersion.active.is_(True))))
    yield db
    if db.is_sqlite:
        return  # each SQLite test has its own copy
    from tests.conftest import CASE_TABLES

    with db.engine.begin() as conn:
        conn.execute(text("TRUNCATE " + ", ".join(CASE_TABLES) + " RESTART IDENTITY CASCADE"))
    with db.write() as session:
        session.execute(delete(ProcessVersion).where(ProcessVersion.id > last))
        session.execute(update(ProcessVersion).values(active=ProcessVersion.id.in_(active)))
