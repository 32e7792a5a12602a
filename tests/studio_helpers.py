"""Shared by the studio's tests: the restaurant's BPMN changed the way a
designer would, and a fixture that puts the process library back after a
test that deployed (PostgreSQL keeps process_versions between tests)."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.library import discover
from models import User
from tests.conftest import PROCESSES

# The library's scenarios and blocks: on PostgreSQL other tests' processes
# (deployed from bare files) stay in the database beside them.
LIBRARY_KEYS = frozenset(bundle.key for bundle in discover([PROCESSES]))

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
def library_restored(db, restore_versions):
    """Versions deployed by the test go, the seeded ones are active again
    (conftest's restore_versions)."""
    return db
