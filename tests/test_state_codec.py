"""The stored workflow state: no spec inside, an exact round trip, and the
cached serialization of finished tasks always equal to a fresh one."""
from __future__ import annotations

import orjson

from engine import state_codec
from models import Case
from tests.walk import start


def stored_state(walk) -> str:
    with walk.runtime.db.read() as session:
        return session.get(Case, walk.case_id).state


def test_state_has_no_spec_and_round_trips_exactly(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    text = stored_state(walk)
    state = orjson.loads(text)
    assert "spec" not in state and "subprocess_specs" not in state
    case = walk.case()
    workflow = runtime.peek_workflow(case)
    assert state_codec.dump(workflow) == text


def test_a_workflow_kept_in_memory_stores_what_a_restored_one_would(runtime, intake):
    """A correction round walked with the workflow kept in memory between
    steps, so cached serializations of finished tasks are reused at every
    step (each reuse checked against a fresh one: ONEWINDOW_VERIFY_STATE).
    What was stored equals what a workflow restored from it dumps."""
    kept = start(runtime, intake, restore_between_steps=False, has_company=True,
                 uscc="91420103MA4KXXXX0Q", has_sign=False)
    steps = [("Task_FoodReview", {"decision": "correct", "reason": "缺少制度"}),
             ("Task_OnsiteInspection:fire", {"decision": "approve", "mode": "on_site"}),
             ("Task_Env", {"decision": "approve"}),
             ("Task_OnsiteInspection:drainage", {"decision": "approve", "mode": "on_site"}),
             ("Task_CorrectionNotice", {}),
             ("Task_CorrectionSupply", {"complete": True}),
             ("Task_FoodReview", {"decision": "approve"}),
             ("Task_OnsiteInspection:food", {"decision": "approve", "mode": "on_site"}),
             ("Task_Delivery", {"method": "window"})]
    for task, fixed in steps:
        kept.complete(task, **fixed)
    assert kept.case().status == "completed"
    assert runtime.workflows.hits >= len(steps) - 1  # the cache really was used
    restored = runtime.peek_workflow(kept.case())
    assert state_codec.dump(restored) == stored_state(kept)
