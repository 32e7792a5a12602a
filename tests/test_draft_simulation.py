"""Simulating a draft in a throwaway database: coverage per file, waiting
times per task, refusal of a draft that would not deploy, and the real
database left as it was."""
from __future__ import annotations

import shutil

import pytest
from sqlalchemy import func, select

from engine.library import discover
from engine.problems import ProcessFileError
from engine.studio.draft_simulation import MAX_RUNS, RunsOutOfRange, simulate_draft
from models import Case, ProcessVersion, WorkItemHistory
from tests.conftest import PROCESSES

VIDEO_CONDITION = "remote_inspection and area_m2 &lt;= 150"


def restaurant_draft(tmp_path, edit=None):
    """The restaurant folder as a draft bundle, its BPMN text passed through `edit`."""
    shutil.copytree(PROCESSES / "restaurant", tmp_path / "restaurant")
    shutil.copytree(PROCESSES / "common" / "forms", tmp_path / "common" / "forms")
    bpmn = tmp_path / "restaurant" / "restaurant.bpmn"
    if edit is not None:
        bpmn.write_text(edit(bpmn.read_text(encoding="utf-8")), encoding="utf-8")
    return discover([tmp_path / "restaurant"])[0]


def own_file(report) -> dict:
    (entry,) = [e for e in report["files"].values() if e["own"]]
    return entry


def test_a_branch_made_impossible_is_reported_untaken(db, tmp_path):
    before = simulate_draft(db, restaurant_draft(tmp_path / "a"), 20, seed=0)
    assert own_file(before)["flows"]["Flow_FoodVideo"] > 0
    never = restaurant_draft(tmp_path / "b", lambda text: text.replace(
        VIDEO_CONDITION, "remote_inspection and area_m2 &lt;= 0"))
    report = simulate_draft(db, never, 20, seed=0)
    assert report["runs"] == 20 and sum(report["statuses"].values()) == 20
    assert report["errors"] == [] and report["stranded"] == []
    own = own_file(report)
    assert "Flow_FoodVideo" in own["untaken"] and own["flows"]["Flow_FoodVideo"] == 0
    assert own["flows"]["Flow_FoodOnSite"] > 0
    # Flow ids repeat across files: the block's own Flow_Registered is counted apart.
    setup = report["files"]["processes/common/company_setup/company_setup.bpmn"]
    assert not setup["own"] and "Flow_Registered" in setup["flows"]
    assert report["flows_taken"] < report["flows_total"]


def test_waiting_times_per_task(db, tmp_path):
    report = simulate_draft(db, restaurant_draft(tmp_path), 15, seed=3)
    tasks = {(t["process_id"], t["task"]): t for t in report["tasks"]}
    intake = tasks[("restaurant", "Task_Intake")]
    assert intake["visits"] == 15 and intake["completed"] == 15
    review = tasks[("restaurant", "Task_FoodReview")]
    assert review["visits"] >= 15 and review["median_hours"] > 0
    assert review["p90_hours"] >= review["median_hours"] and 1 <= review["level"] <= 5
    assert review["file"].endswith("restaurant/restaurant.bpmn")
    # A called block's task is reported per call site, on the block's file.
    inspection = next(t for key, t in tasks.items() if key[0].startswith("onsite_inspection@"))
    assert inspection["file"] == "processes/common/onsite_inspection/onsite_inspection.bpmn"
    assert all(t["median_hours"] is not None for t in report["tasks"] if t["completed"])


def test_a_broken_draft_is_refused_with_its_problems(db, tmp_path):
    broken = restaurant_draft(tmp_path, lambda text: text.replace(VIDEO_CONDITION, "remote_inspection and (").replace(
        'calledElement="result_delivery"', 'calledElement="no_such_block"'))
    with pytest.raises(ProcessFileError) as refused:
        simulate_draft(db, broken, 5)
    found = {(p.element, p.message.split(":")[0]) for p in refused.value.problems}
    assert ("Flow_FoodVideo", "condition") in found
    assert any("no_such_block" in p.message for p in refused.value.problems)


def test_the_real_database_is_left_alone(db, tmp_path):
    def counts():
        with db.read() as session:
            return [session.scalar(select(func.count()).select_from(t)) for t in (Case, ProcessVersion, WorkItemHistory)]

    before = counts()
    report = simulate_draft(db, restaurant_draft(tmp_path), 3, seed=1)
    assert report["runs"] == 3 and counts() == before


def test_runs_and_time_are_capped(db, tmp_path):
    draft = restaurant_draft(tmp_path)
    for runs in (0, MAX_RUNS + 1):
        with pytest.raises(RunsOutOfRange):
            simulate_draft(db, draft, runs)
    report = simulate_draft(db, draft, 50, time_limit=0.0)
    assert report["cut_short"] and report["runs"] == 1 and report["requested"] == 50
