"""camunda:dueDate on a user task (engine/runtime/due_dates.py): evaluated by
the restricted evaluator when the work item starts, with the working-time
helpers, now() and the case data; its value is the item's due time instead
of the legal limit. An expression that fails at run time falls back to the
legal limit and the case records why."""
from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from sqlalchemy import select

from engine.deployment import deploy_paths
from engine.runtime.due_dates import due_moment
from engine.runtime.service import Runtime
from engine.runtime.workflow_cache import WorkflowCache
from engine.workcalendar import BEIJING
from models import CaseEvent, WorkItem
from tests.bpmn_factory import HEAD
from tests.walk import Clock, load_intake, on_clock, start

START = datetime(2025, 6, 9, 10, 0, tzinfo=BEIJING)  # a Monday
LEGAL_LIMIT = datetime(2025, 6, 23, 18, 0, tzinfo=BEIJING)  # 10 working days later


def review_process(tmp_path, due_date: str):
    """A script sets `deadline`, then the food review (legal limit 10 WD)
    with the given camunda:dueDate."""
    folder = tmp_path / "due_date_review"
    folder.mkdir(exist_ok=True)
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in ("StartEvent_1", "Script_Deadline",
                                                                         "Task_Review", "End_1"))
    (folder / "due_date_review.bpmn").write_text(
        HEAD + '<bpmn:process id="due_date_review" isExecutable="true">'
        f'<bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_1" name="SJ 区市场监管局">{refs}</bpmn:lane></bpmn:laneSet>'
        '<bpmn:startEvent id="StartEvent_1"/>'
        '<bpmn:scriptTask id="Script_Deadline" scriptFormat="python"><bpmn:script>deadline = \'2025-06-20\''
        '</bpmn:script></bpmn:scriptTask>'
        f'<bpmn:userTask id="Task_Review" name="审查" camunda:dueDate="{due_date}"><bpmn:extensionElements>'
        '<camunda:properties><camunda:property name="permit" value="food"/></camunda:properties>'
        '</bpmn:extensionElements></bpmn:userTask><bpmn:endEvent id="End_1"/>'
        '<bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Script_Deadline"/>'
        '<bpmn:sequenceFlow id="F2" sourceRef="Script_Deadline" targetRef="Task_Review"/>'
        '<bpmn:sequenceFlow id="F3" sourceRef="Task_Review" targetRef="End_1"/>'
        '</bpmn:process></bpmn:definitions>\n', encoding="utf-8")
    (folder / "metadata.json").write_text(json.dumps({
        "key": "due_date_review", "process_id": "due_date_review", "name": {"zh": "时限表达式", "en": "Due dates"},
        "approvals": [{"key": "food", "legal_limit_working_days": 10}]}), encoding="utf-8")
    return folder


def start_review(db, tmp_path, due_date: str):
    with db.write() as session:
        key = deploy_paths(session, [review_process(tmp_path, due_date)])[0].key
    runtime = Runtime(db, clock=Clock(START), workflow_cache=WorkflowCache())
    case_id = runtime.start_case(key, None, "clerk").case_id
    with db.read() as session:
        item = session.scalars(select(WorkItem).where(WorkItem.case_id == case_id)).one()
        failed = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id,
                                                         CaseEvent.kind == "due_date_failed")).all()
    return item, failed


@pytest.mark.parametrize("expression, due", [
    ("add_working_days(now(), 3)", datetime(2025, 6, 12, 18, 0, tzinfo=BEIJING)),  # the helpers, on the engine's now
    ("deadline", datetime(2025, 6, 20, 18, 0, tzinfo=BEIJING)),  # a date from the case data: the end of that day
    ("'2025-06-20T12:00'", datetime(2025, 6, 20, 12, 0, tzinfo=BEIJING)),  # text without a zone: Beijing time
    ("add_working_hours(now(), 1) if deadline else None", datetime(2025, 6, 9, 11, 0, tzinfo=BEIJING)),
    ("None", LEGAL_LIMIT),  # no due date of its own: the legal limit
])
def test_the_due_date_expression_sets_the_work_items_due_time(db, tmp_path, expression, due):
    item, failed = start_review(db, tmp_path, expression)
    assert item.due_at == due
    assert failed == []


@pytest.mark.parametrize("expression, error", [
    ("deadline + 1", "TypeError"),  # fails when it runs
    ("unknown_name", "unknown_name"),
    ("'next tuesday'", "ISO 8601"),  # a value that is no moment
    ("add_working_days(now(), 500)", "no statutory calendar data"),  # past the known years: never a guess
])
def test_a_failing_due_date_falls_back_to_the_legal_limit_and_the_case_says_so(db, tmp_path, expression, error):
    item, failed = start_review(db, tmp_path, expression)
    assert item.due_at == LEGAL_LIMIT
    (event,) = failed
    assert (event.actor_name, event.task_spec, event.department_code) == ("system", "Task_Review", "SJ")
    assert event.payload["expression"] == expression and error in event.payload["error"]
    assert event.payload["task_id"] == item.task_id


def test_due_values():
    assert due_moment(date(2025, 6, 20)) == datetime(2025, 6, 20, 18, 0, tzinfo=BEIJING)
    assert due_moment("2025-06-20") == datetime(2025, 6, 20, 18, 0, tzinfo=BEIJING)
    assert due_moment(datetime(2025, 6, 20, 9, 30)) == datetime(2025, 6, 20, 9, 30, tzinfo=BEIJING)
    with pytest.raises(ValueError):
        due_moment(42)


def test_the_commitment_post_check_is_due_on_the_date_the_filing_set(runtime):
    """A real process: the post-check of a childcare filing (告知承诺, the
    shared commitment_verification block) is due at the end of the
    post_check_due date the filing set, not by a legal limit."""
    walk = start(on_clock(runtime), load_intake("childcare_centre"), scenario="childcare_centre",
                 has_company=True, uscc="91420103MA4KXXXX0Q", has_canteen=False)
    walk.complete("Task_ChildcareFiling", decision="approve", post_check_due="2026-06-30")
    walk.complete("Task_Fire", decision="approve")
    walk.complete("Task_Delivery", method="window")
    check = walk.item("Task_CommitmentCheck:childcare_filing")
    assert check.due_at == datetime(2026, 6, 30, 18, 0, tzinfo=BEIJING)
    with runtime.db.read() as session:
        assert session.scalars(select(CaseEvent).where(CaseEvent.kind == "due_date_failed")).all() == []
