"""BPMN timers that fire (DESIGN.md decision 8): boundary and intermediate
timer events with working-time expressions, on the runtime's clock; the
sweep's "fire_timers" job firing each due timer exactly once, with two
workers at once and after a restart; the deploy-time checks of timer
expressions. Every moment is passed explicitly: nothing sleeps."""
from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import func, select

from engine.deployment import deploy_paths
from engine.jobs import sweep
from engine.problems import ProcessFileError
from engine.runtime.service import Runtime
from engine.runtime.workflow_cache import WorkflowCache
from engine.timer_jobs import fire_due_timers
from engine.timers import _parse_cycle, duration_after, literal_problems, moment
from engine.workcalendar import BEIJING, add_working_days, add_working_hours
from models import Case, CaseEvent, Database, WorkItem
from tests.bpmn_factory import HEAD, write
from tests.walk import Clock

SJ = "SJ 区市场监管局"


def beijing(*args) -> datetime:
    return datetime(*args, tzinfo=BEIJING).astimezone(timezone.utc)


def process(process_id: str, nodes: str, flows: list[tuple[str, str]], lane_nodes: list[str]) -> str:
    refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in lane_nodes)
    flow_xml = "".join(f'<bpmn:sequenceFlow id="F{i}" sourceRef="{a}" targetRef="{b}"/>'
                       for i, (a, b) in enumerate(flows))
    return (HEAD + f'<bpmn:process id="{process_id}" isExecutable="true">'
            f'<bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_1" name="{SJ}">{refs}</bpmn:lane></bpmn:laneSet>'
            f'{nodes}{flow_xml}</bpmn:process></bpmn:definitions>\n')


def timer(tag: str, expression: str) -> str:
    return f"<bpmn:timerEventDefinition><bpmn:{tag}>{expression}</bpmn:{tag}></bpmn:timerEventDefinition>"


def boundary_process(expression: str = "add_working_days(now(), 3)", tag: str = "timeDate") -> str:
    """A review with an interrupting timer on it: past its limit the case
    goes to the head's supervision task instead (督办)."""
    nodes = ('<bpmn:startEvent id="StartEvent_1"/><bpmn:userTask id="Task_Review" name="审查"/>'
             '<bpmn:boundaryEvent id="Timer_Limit" name="法定时限届满" attachedToRef="Task_Review" '
             f'cancelActivity="true">{timer(tag, expression)}</bpmn:boundaryEvent>'
             '<bpmn:userTask id="Task_Supervise" name="督办"/>'
             '<bpmn:endEvent id="EndEvent_1"/><bpmn:endEvent id="EndEvent_2"/>')
    flows = [("StartEvent_1", "Task_Review"), ("Task_Review", "EndEvent_1"), ("Timer_Limit", "Task_Supervise"),
             ("Task_Supervise", "EndEvent_2")]
    return process("timer_boundary", nodes, flows, ["StartEvent_1", "Task_Review", "Timer_Limit",
                                                    "Task_Supervise", "EndEvent_1", "EndEvent_2"])


def intermediate_process(tag: str, expression: str) -> str:
    """Task_A, then wait on the timer, then Task_B."""
    nodes = ('<bpmn:startEvent id="StartEvent_1"/><bpmn:userTask id="Task_A" name="甲"/>'
             f'<bpmn:intermediateCatchEvent id="Timer_Wait" name="等待">{timer(tag, expression)}'
             '</bpmn:intermediateCatchEvent><bpmn:userTask id="Task_B" name="乙"/><bpmn:endEvent id="EndEvent_1"/>')
    flows = [("StartEvent_1", "Task_A"), ("Task_A", "Timer_Wait"), ("Timer_Wait", "Task_B"), ("Task_B", "EndEvent_1")]
    return process("timer_wait", nodes, flows, ["StartEvent_1", "Task_A", "Timer_Wait", "Task_B", "EndEvent_1"])


def deploy(db, tmp_path, text: str, name: str) -> str:
    with db.write() as session:
        return deploy_paths(session, [write(tmp_path, text, f"{name}.bpmn")])[0].key


def open_tasks(db, case_id: int) -> set[str]:
    with db.read() as session:
        return set(session.scalars(select(WorkItem.task_spec).where(WorkItem.case_id == case_id)))


def case_row(db, case_id: int) -> Case:
    with db.read() as session:
        return session.get(Case, case_id)


def events(db, kind: str) -> list[CaseEvent]:
    with db.read() as session:
        return list(session.scalars(select(CaseEvent).where(CaseEvent.kind == kind).order_by(CaseEvent.id)))


START = beijing(2025, 6, 9, 10, 0)  # a Monday, an ordinary working week


# ------------------------------------------------------------------ values


def test_timer_values_from_helpers_and_text_are_beijing_time():
    assert moment(START) == START
    assert moment("2025-06-10") == beijing(2025, 6, 10, 0, 0)  # no zone: Beijing, not the server's
    assert moment("2025-06-10T09:30:00+00:00") == datetime(2025, 6, 10, 9, 30, tzinfo=timezone.utc)
    assert duration_after("PT2H", START) == START + timedelta(hours=2)
    assert duration_after(timedelta(minutes=5), START) == START + timedelta(minutes=5)
    assert _parse_cycle("R3/PT1H", START) == {"cycles": 3, "next": (START + timedelta(hours=1)).isoformat(),
                                              "duration": 3600.0}
    with pytest.raises(ValueError, match="ISO 8601"):
        moment("next tuesday")
    with pytest.raises(ValueError, match="ISO 8601 duration"):
        duration_after("2 hours", START)


def test_deploy_checks_catch_unquoted_and_invalid_literals():
    assert literal_problems("timeDuration", "PT2H") == [
        "PT2H must be written as quoted text ('PT2H'): timer expressions are Python"]
    assert literal_problems("timeDate", "2025-06-10") != []
    assert "ISO 8601 duration" in literal_problems("timeDuration", "'two hours'")[0]
    assert literal_problems("timeCycle", "'every day'") != []
    for tag, good in (("timeDuration", "'PT2H'"), ("timeDate", "'2025-06-10T09:00'"), ("timeCycle", "'R2/PT1H'"),
                      ("timeDate", "add_working_days(now(), 3)")):
        assert literal_problems(tag, good) == []


@pytest.mark.parametrize("expression, message", [
    ("PT2H", "quoted text"),
    ("'soon'", "ISO 8601"),
    ("add_working_days(now(), ", "timer expression"),
])
def test_a_bad_timer_expression_is_refused_at_deploy(db, tmp_path, expression, message):
    with pytest.raises(ProcessFileError) as info:
        deploy(db, tmp_path, boundary_process(expression), "bad_timer")
    assert any(message in p.message and p.element == "Timer_Limit" for p in info.value.problems), info.value.problems


# ------------------------------------------------------------------ boundary and intermediate


def test_boundary_timer_three_working_days_after_the_task_started_fires_once(db, tmp_path):
    key = deploy(db, tmp_path, boundary_process(), "timer_boundary")
    clock = Clock(START)
    runtime = Runtime(db, clock=clock, workflow_cache=WorkflowCache())
    case_id = runtime.start_case(key, None, "clerk").case_id
    due = add_working_days(START, 3)
    assert due == beijing(2025, 6, 12, 18, 0)
    assert case_row(db, case_id).next_timer_at == due
    assert open_tasks(db, case_id) == {"Task_Review"}

    assert sweep(db, now=due - timedelta(minutes=1), only=("fire_timers",)) == {"fire_timers": 0}
    assert open_tasks(db, case_id) == {"Task_Review"}

    assert sweep(db, now=due + timedelta(minutes=1), only=("fire_timers",)) == {"fire_timers": 1}
    assert open_tasks(db, case_id) == {"Task_Supervise"}  # interrupting: the review is gone
    case = case_row(db, case_id)
    assert case.next_timer_at is None and case.status == "running"
    fired = events(db, "timer_fired")
    assert [(e.case_id, e.payload["timers"], e.actor_name, e.at) for e in fired] == [
        (case_id, ["法定时限届满"], "system", due + timedelta(minutes=1))]
    # Swept again, and again later: nothing fires twice.
    assert sweep(db, now=due + timedelta(days=1), only=("fire_timers",)) == {"fire_timers": 0}
    assert len(events(db, "timer_fired")) == 1


def test_completing_the_task_in_time_cancels_its_boundary_timer(db, tmp_path):
    key = deploy(db, tmp_path, boundary_process(), "timer_boundary")
    clock = Clock(START)
    runtime = Runtime(db, clock=clock, workflow_cache=WorkflowCache())
    started = runtime.start_case(key, None, "clerk")
    clock.now = START + timedelta(days=1)
    result = runtime.complete_task(started.case_id, started.work_items[0]["task_id"], {}, "rev_sj")
    assert result.status == "completed"
    assert case_row(db, started.case_id).next_timer_at is None
    assert sweep(db, now=START + timedelta(days=30), only=("fire_timers",)) == {"fire_timers": 0}


@pytest.mark.parametrize("tag, expression", [
    ("timeDate", "add_working_hours(now(), 2)"),  # two working hours: over the weekend
    ("timeDuration", "'PT2H'"),  # two hours on the wall clock
])
def test_intermediate_timer_waits_then_the_process_goes_on(db, tmp_path, tag, expression):
    key = deploy(db, tmp_path, intermediate_process(tag, expression), "timer_wait")
    friday = beijing(2025, 6, 13, 17, 0)
    clock = Clock(friday)
    runtime = Runtime(db, clock=clock, workflow_cache=WorkflowCache())
    started = runtime.start_case(key, None, "clerk")
    runtime.complete_task(started.case_id, started.work_items[0]["task_id"], {}, "rev_sj")
    expected = add_working_hours(friday, 2) if tag == "timeDate" else friday + timedelta(hours=2)
    if tag == "timeDate":
        assert expected == beijing(2025, 6, 16, 10, 0)  # 1 h on Friday, 1 h on Monday
    assert open_tasks(db, started.case_id) == set()
    assert case_row(db, started.case_id).next_timer_at == expected
    # A worker that was down over the due time fires it at its next sweep,
    # from the database alone (a new runtime with an empty cache).
    assert fire_due_timers(db, expected + timedelta(days=3)) == 1
    assert open_tasks(db, started.case_id) == {"Task_B"}
    assert case_row(db, started.case_id).next_timer_at is None


def test_a_timer_already_past_when_it_starts_fires_at_once(db, tmp_path):
    key = deploy(db, tmp_path, intermediate_process("timeDate", "'2020-01-01T09:00'"), "timer_wait")
    runtime = Runtime(db, clock=Clock(START), workflow_cache=WorkflowCache())
    started = runtime.start_case(key, None, "clerk")
    runtime.complete_task(started.case_id, started.work_items[0]["task_id"], {}, "rev_sj")
    assert open_tasks(db, started.case_id) == {"Task_B"}
    assert case_row(db, started.case_id).next_timer_at is None


# ------------------------------------------------------------------ workers


def _start_many(db, tmp_path, count: int) -> list[int]:
    key = deploy(db, tmp_path, boundary_process(), "timer_boundary")
    runtime = Runtime(db, clock=Clock(START), workflow_cache=WorkflowCache())
    return [runtime.start_case(key, None, "clerk").case_id for _ in range(count)]


def test_two_workers_fire_each_timer_exactly_once(db, tmp_path):
    """Two sweepers at once, each with its own connections and runtime (as
    two `onewindow worker` processes would be): every timer fires once."""
    case_ids = _start_many(db, tmp_path, 12)
    now = add_working_days(START, 3) + timedelta(hours=1)
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def worker():
        own = Database(db.url)
        try:
            barrier.wait()
            counts.append(fire_due_timers(own, now, batch=5))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.dispose()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert sum(counts) == len(case_ids)
    fired = events(db, "timer_fired")
    assert sorted(e.case_id for e in fired) == sorted(case_ids)  # each case once
    with db.read() as session:
        supervise = session.scalar(select(func.count()).select_from(WorkItem)
                                   .where(WorkItem.task_spec == "Task_Supervise"))
        versions = set(session.scalars(select(Case.version).where(Case.id.in_(case_ids))))
    assert supervise == len(case_ids)
    assert versions == {2}  # started, then fired: one write each


@pytest.mark.postgres
def test_a_case_locked_by_another_transaction_is_skipped_not_waited_for(db, tmp_path):
    if db.is_sqlite:
        pytest.skip("row locks (SKIP LOCKED) are PostgreSQL's; SQLite serializes writers")
    (case_id,) = _start_many(db, tmp_path, 1)
    now = add_working_days(START, 3) + timedelta(hours=1)
    with db.transaction() as conn:  # a user's command holding the case
        conn.execute(select(Case.id).where(Case.id == case_id).with_for_update())
        other = Database(db.url)
        try:
            assert Runtime(other).fire_timers(case_id, now) is None
        finally:
            other.dispose()
    assert Runtime(db).fire_timers(case_id, now) is not None
    assert open_tasks(db, case_id) == {"Task_Supervise"}
