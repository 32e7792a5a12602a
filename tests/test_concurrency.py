"""Commands from several threads at the same moment, each with its own
database session: parallel departments never lose each other's approvals,
and of two reviewers completing one task exactly one wins."""
from __future__ import annotations

import threading

import pytest

from engine.runtime.errors import Conflict
from engine.simulation.actors import demo_actor
from tests.walk import start

# Fire and drainage are on-site inspections: the shared block onsite_inspection,
# called from the XF and SWJ lanes.
PARALLEL = {"Task_FoodReview": "SJ", "Task_OnsiteInspection:fire": "XF", "Task_Env": "HB",
            "Task_OnsiteInspection:drainage": "SWJ", "Task_Sign": "CG"}
ROUNDS = 8


def run_together(functions):
    """Start every function at the same instant; return (results, errors)."""
    barrier = threading.Barrier(len(functions))
    results, errors = [None] * len(functions), [None] * len(functions)

    def runner(i, fn):
        barrier.wait()
        try:
            results[i] = fn()
        except Exception as exc:  # noqa: BLE001 - collected and asserted on
            errors[i] = exc

    threads = [threading.Thread(target=runner, args=(i, fn)) for i, fn in enumerate(functions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "a command hung"
    return results, errors


def five_department_case(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    assert walk.open_tasks() == set(PARALLEL)
    return walk


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_five_departments_complete_at_once_and_all_five_approvals_are_kept(runtime, intake, round_):
    walk = five_department_case(runtime, intake)
    items = {walk.label(i): i for i in walk.open_items()}
    seen = walk.case().version

    def completer(task_spec):
        item = items[task_spec]
        fixed = {"decision": "approve", "mode": "on_site"}
        data = walk.answer_for(item, fixed)
        return lambda: runtime.complete_task(walk.case_id, item.task_id, data, demo_actor(PARALLEL[task_spec]),
                                             seen_version=seen)

    results, errors = run_together([completer(t) for t in sorted(PARALLEL)])
    assert errors == [None] * 5
    # All five saw the same version: the first to commit ran on it, the other
    # four were re-run on the state their colleagues had just written.
    assert sum(r.reran_on_fresh_state for r in results) == 4
    assert walk.case().version == seen + 5
    data = walk.data()
    for permit in ("food", "fire", "env", "drainage", "sign"):
        assert data["approvals"][permit]["decision"] == "approve", permit
    # Food goes on to its on-site inspection; the others are done.
    assert walk.open_tasks() == {"Task_OnsiteInspection:food"}


@pytest.mark.parametrize("round_", range(ROUNDS * 2))
def test_two_reviewers_complete_the_same_task_exactly_one_wins(runtime, intake, round_):
    walk = five_department_case(runtime, intake)
    item = walk.item("Task_OnsiteInspection:fire")
    seen = walk.case().version
    data = walk.answer_for(item, {"decision": "approve", "mode": "on_site"})

    def as_(user):
        return lambda: runtime.complete_task(walk.case_id, item.task_id, data, user, seen_version=seen)

    results, errors = run_together([as_("rev_xf"), as_("rev_xf2")])
    winners = [r for r in results if r is not None]
    losers = [e for e in errors if e is not None]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], Conflict), repr(losers[0])
    winner = "rev_xf" if results[0] is not None else "rev_xf2"
    assert f"already completed by {winner}" in losers[0].message
    assert walk.case().version == seen + 1
    assert walk.data()["approvals"]["fire"]["by"] == winner


def test_a_stale_page_for_another_task_is_rerun_on_the_fresh_state(runtime, intake):
    walk = five_department_case(runtime, intake)
    seen = walk.case().version
    walk.complete("Task_Env", decision="approve")  # someone else moved the case on
    item = walk.item("Task_Sign")
    result = runtime.complete_task(walk.case_id, item.task_id,
                                   walk.answer_for(item, {"decision": "approve"}), "rev_cg", seen_version=seen)
    assert result.reran_on_fresh_state
    assert result.version == seen + 2
    assert walk.data()["approvals"]["env"]["decision"] == "approve"
    assert walk.data()["approvals"]["sign"]["decision"] == "approve"


def test_a_stale_page_for_a_completed_task_is_a_conflict(runtime, intake):
    walk = five_department_case(runtime, intake)
    item = walk.item("Task_OnsiteInspection:fire")
    seen = walk.case().version
    walk.complete("Task_OnsiteInspection:fire", actor="rev_xf2", decision="approve", mode="on_site")
    with pytest.raises(Conflict, match="already completed by rev_xf2"):
        runtime.complete_task(walk.case_id, item.task_id, walk.answer_for(item, {"decision": "reject",
                              "mode": "on_site"}), "rev_xf", seen_version=seen)
    assert walk.data()["approvals"]["fire"]["decision"] == "approve"


@pytest.mark.parametrize("round_", range(ROUNDS))
def test_two_clerks_claim_one_item_one_wins(runtime, intake, round_):
    walk = five_department_case(runtime, intake)
    item = walk.item("Task_FoodReview")
    results, errors = run_together([lambda: runtime.claim(walk.case_id, item.task_id, "rev_sj"),
                                    lambda: runtime.claim(walk.case_id, item.task_id, "rev_sj2")])
    assert sum(r is not None for r in results) == 1
    loser = next(e for e in errors if e is not None)
    assert isinstance(loser, Conflict) and "already claimed by" in loser.message
