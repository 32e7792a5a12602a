"""engine/studio/lint.py: the studio's lint rules, each problem on its
element; the whole library passes them, and `validate` runs them."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.deployment import validate_paths
from engine.studio.lint import lint_bpmn
from tests.bpmn_factory import HEAD, one_task_process, write

PROCESSES = Path(__file__).resolve().parent.parent / "processes"


def process(body: str, lanes: dict[str, list[str]] | None = None) -> str:
    lane_set = ""
    if lanes:
        lane_set = '<bpmn:laneSet id="LaneSet_1">' + "".join(
            f'<bpmn:lane id="Lane_{i}" name="{name}">' + "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in refs)
            + "</bpmn:lane>" for i, (name, refs) in enumerate(lanes.items())) + "</bpmn:laneSet>"
    return HEAD + f'<bpmn:process id="p" isExecutable="true">{lane_set}{body}</bpmn:process></bpmn:definitions>'


def flow(fid: str, source: str, target: str, condition: str | None = None) -> str:
    if condition is None:
        return f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}"/>'
    return (f'<bpmn:sequenceFlow id="{fid}" sourceRef="{source}" targetRef="{target}">'
            f'<bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>')


LINE = ('<bpmn:startEvent id="S"/><bpmn:userTask id="T"/><bpmn:endEvent id="E"/>'
        + flow("F1", "S", "T") + flow("F2", "T", "E"))
ALL = ["S", "T", "E"]


def found(text: str) -> set[tuple[str, str]]:
    return {(p.element, p.message) for p in lint_bpmn("x.bpmn", text)}


def elements(text: str) -> list[str]:
    return sorted(p.element for p in lint_bpmn("x.bpmn", text))


def test_every_process_of_the_library_passes_the_lint_rules():
    files = sorted(PROCESSES.rglob("*.bpmn"))
    assert len(files) == 38  # 32 scenarios and 6 shared blocks
    problems = [str(p) for path in files for p in lint_bpmn(str(path), path.read_text(encoding="utf-8"))]
    assert problems == []


@pytest.mark.parametrize("lanes, task, ok", [
    ({"SJ 区市场监管局": ALL}, '<bpmn:userTask id="T"/>', True),
    ({"* 调用部门": ALL}, '<bpmn:userTask id="T"/>', True),
    (None, '<bpmn:userTask id="T" camunda:candidateGroups="SJ"/>', True),
    (None, '<bpmn:userTask id="T"/>', False),
    ({"综合窗口": ALL}, '<bpmn:userTask id="T"/>', False),  # a lane without a department code
    ({"SJ 区市场监管局": ["S", "E"]}, '<bpmn:userTask id="T"/>', False),  # the task is in no lane
    ({"SJ 区市场监管局": ALL}, '<bpmn:manualTask id="T"/>', True),
    (None, '<bpmn:manualTask id="T"/>', False),
    (None, '<bpmn:scriptTask id="T"/>', True),  # no person waits on it
])
def test_a_task_that_waits_for_a_person_needs_a_department(lanes, task, ok):
    text = process(LINE.replace('<bpmn:userTask id="T"/>', task), lanes)
    problems = [p for p in lint_bpmn("x.bpmn", text) if "department" in p.message]
    assert (problems == []) is ok
    if not ok:
        assert problems[0].element == "T"


def test_a_task_inside_a_subprocess_takes_the_subprocess_lane():
    inner = ('<bpmn:subProcess id="Sub"><bpmn:startEvent id="S2"/><bpmn:userTask id="Inner"/><bpmn:endEvent id="E2"/>'
             + flow("G1", "S2", "Inner") + flow("G2", "Inner", "E2") + "</bpmn:subProcess>")
    body = ('<bpmn:startEvent id="S"/>' + inner + '<bpmn:endEvent id="E"/>' + flow("F1", "S", "Sub") + flow("F2", "Sub", "E"))
    assert found(process(body, {"XF 消防救援大队": ["S", "Sub", "E"]})) == set()
    assert elements(process(body, {"XF 消防救援大队": ["S", "E"]})) == ["Inner"]


def test_dangling_flow_nodes_and_flows_to_nowhere():
    body = ('<bpmn:startEvent id="S"/><bpmn:userTask id="T" camunda:candidateGroups="SJ"/>'
            '<bpmn:userTask id="Lost" camunda:candidateGroups="SJ"/><bpmn:endEvent id="E"/><bpmn:endEvent id="E2"/>'
            + flow("F1", "S", "T") + flow("F2", "T", "Gone") + flow("F3", "Ghost", "E"))
    # The broken flow is reported once, on the flow, not again on T and E.
    assert found(process(body)) == {
        ("F2", "sequence flow's target 'Gone' does not exist"),
        ("F3", "sequence flow's source 'Ghost' does not exist"),
        ("Lost", "has no incoming sequence flow: nothing can reach it"),
        ("Lost", "has no outgoing sequence flow: the case would stop here"),
        ("E2", "has no incoming sequence flow: nothing can reach it"),
    }


def test_start_and_boundary_events_need_a_way_out_and_nothing_in():
    body = ('<bpmn:startEvent id="S"/><bpmn:userTask id="T" camunda:candidateGroups="SJ"/><bpmn:endEvent id="E"/>'
            '<bpmn:boundaryEvent id="B" attachedToRef="T"><bpmn:timerEventDefinition/></bpmn:boundaryEvent>'
            '<bpmn:boundaryEvent id="C" attachedToRef="T"><bpmn:compensateEventDefinition/></bpmn:boundaryEvent>'
            '<bpmn:serviceTask id="Undo" isForCompensation="true"/>'
            '<bpmn:subProcess id="OnError" triggeredByEvent="true"><bpmn:startEvent id="S3"/><bpmn:endEvent id="E3"/>'
            + flow("H1", "S3", "E3") + "</bpmn:subProcess>"
            + flow("F1", "S", "T") + flow("F2", "T", "E"))
    assert found(process(body)) == {("B", "has no outgoing sequence flow: the case would stop here")}
    lonely = '<bpmn:startEvent id="S"/><bpmn:endEvent id="E"/>'
    assert elements(process(lonely)) == ["E", "S"]


def _gateway(kind: str, default: str | None, conditions: tuple) -> str:
    attrs = f' default="{default}"' if default else ""
    exits = "".join(flow(f"X{i}", "G", f"E{i}", c) + f'<bpmn:endEvent id="E{i}"/>' for i, c in enumerate(conditions))
    return process(f'<bpmn:startEvent id="S"/><bpmn:{kind} id="G"{attrs}/>' + flow("F1", "S", "G") + exits)


@pytest.mark.parametrize("kind", ["exclusiveGateway", "inclusiveGateway"])
def test_a_choosing_gateway_needs_a_default_or_a_condition_on_every_way_out(kind):
    assert found(_gateway(kind, None, ("a == 1", None, " "))) == {
        ("G", "gateway with 3 outgoing flows needs a default flow or a condition on every outgoing flow "
              "(no condition on: X1, X2)")}
    assert found(_gateway(kind, "X1", ("a == 1", None))) == set()
    assert found(_gateway(kind, None, ("a == 1", "a != 1"))) == set()
    assert found(_gateway(kind, None, (None,))) == set()  # one way out: nothing to choose
    assert found(_gateway(kind, "Nope", ("a == 1", None))) == {
        ("G", "default flow 'Nope' is not one of the gateway's outgoing flows")}


def test_a_parallel_gateway_needs_no_conditions():
    assert found(_gateway("parallelGateway", None, (None, None))) == set()


def test_unreadable_xml_is_left_to_the_library_scan():
    assert lint_bpmn("x.bpmn", "<bpmn:definitions") == []


def test_validate_and_deploy_run_the_lint_rules(tmp_path):
    task = '<bpmn:userTask id="Task_A" name="审查"/>'
    _, problems = validate_paths([write(tmp_path, one_task_process(task=task, lane="综合窗口"))])
    assert [(p.element, "department" in p.message) for p in problems] == [("Task_A", True)]
    _, problems = validate_paths([write(tmp_path, one_task_process(task=task))])
    assert problems == []
