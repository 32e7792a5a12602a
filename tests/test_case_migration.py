"""Moving running cases to a newer version (engine/case_migration.py): the
restaurant with a version 2 edited in memory, walked to the end on v2 with
save-and-restore between steps; refusals that leave the case untouched; the
command's locking, its event and its CLI; and a small synthetic process for
the parallel split."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from sqlalchemy import func, select

from engine.case_migration import MigrationRefused, check_migration, migrate_case, migrate_cases
from engine.library import discover
from engine.runtime.errors import Conflict, Forbidden
from models import CaseEvent, WorkItem
from tests.bpmn_factory import HEAD
from tests.edited_versions import (BRANCH_AFTER_SPLIT, RENAME_AND_ADD, RENAMED_ENV, active_version, case_row,
                                   deploy_block_change, deploy_bundle, deploy_edited,
                                   restore_versions)
from tests.walk import COMPANY_SETUP_PARALLEL, finish_company_setup, start

pytestmark = pytest.mark.usefixtures(restore_versions.__name__)
HAS_COMPANY = dict(has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False,
                   discharge_to_sewer=False, remote_inspection=False)


def _events(db, case_id: int) -> list[CaseEvent]:
    with db.read() as session:
        return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id).order_by(CaseEvent.id)))


def _check(db, case_id: int, version_id: int) -> dict:
    with db.read() as session:
        return check_migration(session, case_id, version_id)


def _snapshot(db, case_id: int) -> tuple:
    case = case_row(db, case_id)
    with db.read() as session:
        items = session.scalars(select(WorkItem.task_id, ).where(WorkItem.case_id == case_id)).all()
    return case.state, case.version, case.process_version_id, len(_events(db, case_id)), sorted(items)


# ------------------------------------------------------------------ the restaurant

def test_a_case_waiting_before_the_change_moves_and_finishes_on_v2(runtime, intake, db):
    v1 = active_version(db, "restaurant")
    walk = start(runtime, intake)  # no company: waits in the company set-up block
    assert walk.open_tasks() == {"Task_Registration"}
    v2 = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    assert v2.version == v1.version + 1

    report = _check(db, walk.case_id, v2.id)
    assert report["can_migrate"], report["reasons"]
    assert report["from_version"] == v1.version and report["to_version"] == v2.version
    assert [t["element"] for t in report["tasks"] if t["status"] != "unchanged"] == []
    before = case_row(db, walk.case_id)

    result = migrate_case(runtime, walk.case_id, v2.id, "designer", expected_version=report["case_version"])
    runtime.workflows.clear()  # every later step restores the case from the database
    assert result.from_version == v1.version and result.to_version == v2.version
    assert result.version == before.version + 1
    assert [i["task"] for i in result.work_items] == ["Task_Registration"]
    after = case_row(db, walk.case_id)
    assert after.process_version_id == v2.id and after.version == result.version
    migrated = [e for e in _events(db, walk.case_id) if e.kind == "migrated"]
    assert len(migrated) == 1
    assert migrated[0].actor_name == "designer"
    assert migrated[0].payload["from_version"] == v1.version and migrated[0].payload["to_version"] == v2.version

    finish_company_setup(walk)
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:fire", "Task_Env",
                                 "Task_OnsiteInspection:drainage", "Task_Sign"}
    assert walk.item("Task_Env").title_zh == RENAMED_ENV
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    for task in ("Task_OnsiteInspection:fire", "Task_Env", "Task_OnsiteInspection:drainage", "Task_Sign"):
        walk.complete(task, decision="approve", mode="on_site")
    walk.complete("Task_Delivery", method="window")
    assert walk.open_tasks() == {"Task_Archive"}  # the task v2 added
    assert walk.item("Task_Archive").title_zh == "归档"
    assert walk.complete("Task_Archive").status == "completed"
    assert walk.data()["outcome"] == "approved"


def test_a_ready_task_renamed_in_v2_shows_its_new_name_at_once(runtime, intake, db):
    walk = start(runtime, intake, **HAS_COMPANY)
    assert walk.open_tasks() == {"Task_FoodReview", "Task_Env"}
    walk.runtime.claim(walk.case_id, walk.item("Task_Env").task_id, "rev_hb")
    v2 = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    report = _check(db, walk.case_id, v2.id)
    env = next(t for t in report["tasks"] if t["element"] == "Task_Env")
    assert env["status"] == "changed" and env["new_name"] == RENAMED_ENV and "name" in env["changes"]
    result = migrate_case(runtime, walk.case_id, v2.id, "designer")
    runtime.workflows.clear()
    titles = {i["task"]: i["title"] for i in result.work_items}
    assert titles["Task_Env"] == RENAMED_ENV
    item = walk.item("Task_Env")
    assert item.title_zh == RENAMED_ENV and item.claimed_by_name == "rev_hb"  # same department: claim kept
    event = next(e for e in _events(db, walk.case_id) if e.kind == "migrated")
    assert [t["element"] for t in event.payload["tasks"]] == ["Task_Env"]
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_Delivery", method="ems")
    assert walk.complete("Task_Archive").status == "completed"


def test_a_branch_added_behind_a_split_that_fired_is_refused_and_the_case_untouched(runtime, intake, db):
    fired = start(runtime, intake, **HAS_COMPANY)  # the parallel approvals already started
    waiting = start(runtime, intake)  # still in the company set-up block, before the split
    v2 = deploy_edited(db, "restaurant", BRANCH_AFTER_SPLIT)
    before = _snapshot(db, fired.case_id)

    report = _check(db, fired.case_id, v2.id)
    assert not report["can_migrate"]
    [reason] = report["reasons"]
    assert reason["code"] == "branch_added_after_split"
    assert reason["element"] == "Gateway_PermitSplit" and "并联审批" in reason["message"]
    with pytest.raises(MigrationRefused) as refused:
        migrate_case(runtime, fired.case_id, v2.id, "designer")
    assert refused.value.code == "migration_refused"
    assert "并联审批" in refused.value.message
    assert refused.value.report["reasons"][0]["element"] == "Gateway_PermitSplit"
    runtime.workflows.clear()
    assert _snapshot(db, fired.case_id) == before

    # The case that has not reached the split yet will take the new branch.
    assert _check(db, waiting.case_id, v2.id)["can_migrate"]
    results = migrate_cases(runtime, [fired.case_id, waiting.case_id], v2.id, "designer")
    assert [r["ok"] for r in results] == [False, True]
    assert results[0]["error"]["code"] == "migration_refused"
    runtime.workflows.clear()
    finish_company_setup(waiting)
    assert "Task_Health" in waiting.open_tasks()


def test_changes_to_a_block_the_case_is_running_apply_or_are_refused_inside_it(runtime, intake, db):
    walk = start(runtime, intake)
    assert walk.open_tasks() == {"Task_Registration"}  # inside the company set-up block
    renamed = deploy_block_change(db, "company_setup", [('name="设立登记（核发营业执照）"', 'name="设立登记"')])
    moved = migrate_case(runtime, walk.case_id, renamed.id, "designer")
    runtime.workflows.clear()
    assert [i["title"] for i in moved.work_items] == ["设立登记"]
    retyped = deploy_block_change(db, "company_setup", [
        ('<bpmn:userTask id="Task_Registration" name="设立登记（核发营业执照）"',
         '<bpmn:manualTask id="Task_Registration" name="设立登记"'),
        ('</bpmn:userTask>\n    <bpmn:exclusiveGateway id="Gateway_Registration"',
         '</bpmn:manualTask>\n    <bpmn:exclusiveGateway id="Gateway_Registration"')])
    report = _check(db, walk.case_id, retyped.id)
    assert [(r["code"], r["element"], r["process_id"]) for r in report["reasons"]] == [
        ("task_type_changed", "Task_Registration", "company_setup")]
    finish_company_setup(walk)  # still runs on the version it moved to
    assert "Task_Env" in walk.open_tasks()


def test_a_stale_expected_version_is_a_conflict(runtime, intake, db):
    walk = start(runtime, intake, **HAS_COMPANY)
    v2 = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    seen = _check(db, walk.case_id, v2.id)["case_version"]
    walk.complete("Task_Env", decision="approve")  # someone works on the case meanwhile
    before = _snapshot(db, walk.case_id)
    with pytest.raises(Conflict):
        migrate_case(runtime, walk.case_id, v2.id, "designer", expected_version=seen)
    assert _snapshot(db, walk.case_id) == before


def test_only_designers_migrate_and_only_to_a_newer_version_of_the_scenario(runtime, intake, db):
    v1 = active_version(db, "restaurant")
    walk = start(runtime, intake, **HAS_COMPANY)
    with pytest.raises(Forbidden):
        migrate_case(runtime, walk.case_id, v1.id, "clerk")
    assert _check(db, walk.case_id, v1.id)["reasons"][0]["code"] == "not_newer"
    other = active_version(db, "gym")
    assert _check(db, walk.case_id, other.id)["reasons"][0]["code"] == "other_scenario"
    v2 = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    runtime.withdraw(walk.case_id, "clerk")
    assert _check(db, walk.case_id, v2.id)["reasons"][0]["code"] == "case_finished"


# ------------------------------------------------------------------ the CLI

def _cli(db, monkeypatch, *args):
    from web.cli import main

    monkeypatch.setenv("DATABASE_URL", db.url)
    return CliRunner().invoke(main, [str(a) for a in args], catch_exceptions=False)


def test_the_cli_checks_and_migrates_and_refuses_without_the_designer_role(runtime, intake, db, monkeypatch):
    walk = start(runtime, intake)
    ref = walk.last.reference
    v2 = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    denied = _cli(db, monkeypatch, "migrate", ref, "--to-version", v2.version, "--as", "clerk", "--json")
    assert denied.exit_code != 0 and json.loads(denied.stdout)["error"]["code"] == "forbidden"
    checked = _cli(db, monkeypatch, "migrate", ref, "--to-version", v2.version, "--check", "--as", "designer",
                   "--json")
    assert checked.exit_code == 0, checked.output
    assert json.loads(checked.stdout)[0]["can_migrate"] is True
    assert case_row(db, walk.case_id).process_version_id != v2.id  # a check writes nothing
    done = _cli(db, monkeypatch, "migrate", ref, "--to-version", v2.version, "--as", "designer")
    assert done.exit_code == 0, done.output
    assert f"{ref}: v1 -> v{v2.version}" in done.output
    assert case_row(db, walk.case_id).process_version_id == v2.id
    again = _cli(db, monkeypatch, "migrate", ref, "--to-version", v2.version, "--as", "designer")
    assert again.exit_code == 1 and "is not newer" in again.output


# ------------------------------------------------------------------ a synthetic process

LANE = "SJ 区市场监管局"


def _parallel(branches: dict[str, str], join_after: str = "") -> str:
    """start -> parallel split -> one user task per branch -> parallel join
    -> end, all in one lane."""
    ids = ["Start_1", "Split", *branches, "Join", "End_1"]
    refs = "".join(f"<bpmn:flowNodeRef>{i}</bpmn:flowNodeRef>" for i in ids)
    tasks = "".join(f'<bpmn:userTask id="{t}" name="{name}"/>' for t, name in branches.items())
    flows = '<bpmn:sequenceFlow id="F_start" sourceRef="Start_1" targetRef="Split"/>'
    flows += "".join(f'<bpmn:sequenceFlow id="F_to_{t}" sourceRef="Split" targetRef="{t}"/>'
                     f'<bpmn:sequenceFlow id="F_from_{t}" sourceRef="{t}" targetRef="Join"/>' for t in branches)
    flows += '<bpmn:sequenceFlow id="F_end" sourceRef="Join" targetRef="End_1"/>'
    return (HEAD + '<bpmn:process id="fork" isExecutable="true">'
            f'<bpmn:laneSet id="LS"><bpmn:lane id="L" name="{LANE}">{refs}</bpmn:lane></bpmn:laneSet>'
            '<bpmn:startEvent id="Start_1"/><bpmn:parallelGateway id="Split" name="分头审查"/>'
            f'{tasks}<bpmn:parallelGateway id="Join"/><bpmn:endEvent id="End_1"/>{flows}'
            '</bpmn:process></bpmn:definitions>\n')


def _deploy_fork(db, tmp_path, branches: dict[str, str]):
    path = tmp_path / "fork.bpmn"
    path.write_text(_parallel(branches), encoding="utf-8")
    return deploy_bundle(db, discover([path])[0])


def _open(db, case_id: int) -> dict[str, str]:
    with db.read() as session:
        return {i.task_spec: i.task_id for i in session.scalars(select(WorkItem).where(WorkItem.case_id == case_id))}


def test_synthetic_parallel_split(runtime, db, tmp_path):
    _deploy_fork(db, tmp_path, {"Task_A": "甲", "Task_B": "乙"})
    running = runtime.start_case("fork", None, "clerk").case_id
    assert set(_open(db, running)) == {"Task_A", "Task_B"}

    renamed = _deploy_fork(db, tmp_path, {"Task_A": "甲（新）", "Task_B": "乙"})
    moved = migrate_case(runtime, running, renamed.id, "designer")
    assert {i["task"]: i["title"] for i in moved.work_items} == {"Task_A": "甲（新）", "Task_B": "乙"}

    widened = _deploy_fork(db, tmp_path, {"Task_A": "甲（新）", "Task_B": "乙", "Task_C": "丙"})
    report = _check(db, running, widened.id)
    assert [(r["code"], r["element"]) for r in report["reasons"]] == [("branch_added_after_split", "Split")]
    assert "分头审查" in report["reasons"][0]["message"] and "'丙'" in report["reasons"][0]["message"]
    with pytest.raises(MigrationRefused):
        migrate_case(runtime, running, widened.id, "designer")

    # A case that finished its parallel part is not held back by it ...
    for task_id in _open(db, running).values():
        last = runtime.complete_task(running, task_id, {}, "rev_sj")
    assert last.status == "completed"
    assert _check(db, running, widened.id)["reasons"][0]["code"] == "case_finished"
    # ... and a new case on the wider version takes the third branch.
    fresh = runtime.start_case("fork", None, "clerk").case_id
    assert set(_open(db, fresh)) == {"Task_A", "Task_B", "Task_C"}
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(CaseEvent).where(CaseEvent.kind == "migrated")) == 1


def test_a_ready_task_removed_in_the_new_version_is_refused(runtime, db, tmp_path):
    _deploy_fork(db, tmp_path, {"Task_A": "甲", "Task_B": "乙"})
    case_id = runtime.start_case("fork", None, "clerk").case_id
    narrower = _deploy_fork(db, tmp_path, {"Task_A": "甲"})
    report = _check(db, case_id, narrower.id)
    assert not report["can_migrate"]
    assert ("task_removed", "Task_B") in [(r["code"], r["element"]) for r in report["reasons"]]
    task_b = next(t for t in report["tasks"] if t["element"] == "Task_B")
    assert task_b["status"] == "blocked"


def test_a_waiting_timer_keeps_its_deadline_unless_the_new_version_changes_it(db, tmp_path):
    from datetime import timedelta

    from engine.runtime.service import Runtime
    from engine.runtime.workflow_cache import WorkflowCache
    from engine.workcalendar import add_working_days
    from tests.test_timers import START, Clock, boundary_process, deploy

    deploy(db, tmp_path, boundary_process(), "timer_boundary")
    clock = Clock(START)
    runtime = Runtime(db, clock=clock, workflow_cache=WorkflowCache())
    case_id = runtime.start_case("timer_boundary", None, "clerk").case_id
    due = add_working_days(START, 3)
    assert case_row(db, case_id).next_timer_at == due

    clock.now = START + timedelta(days=1)  # the designer moves the case a day later
    renamed = deploy_bundle(db, discover([_bpmn(tmp_path, boundary_process().replace('name="审查"',
                                                                                    'name="材料审查"'))])[0])
    moved = migrate_case(runtime, case_id, renamed.id, "designer")
    assert [i["title"] for i in moved.work_items] == ["材料审查"]
    assert case_row(db, case_id).next_timer_at == due  # the legal limit did not move

    longer = deploy_bundle(db, discover([_bpmn(tmp_path, boundary_process("add_working_days(now(), 5)").replace(
        'name="审查"', 'name="材料审查"'))])[0])
    migrate_case(runtime, case_id, longer.id, "designer")
    assert case_row(db, case_id).next_timer_at == add_working_days(clock.now, 5)  # a new limit runs from now


def _bpmn(tmp_path, text: str):
    path = tmp_path / "timer_boundary.bpmn"
    path.write_text(text, encoding="utf-8")
    return path
