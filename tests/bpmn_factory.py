"""Small BPMN documents for tests, built from a few parameters, so each test
states only what it is about."""
from __future__ import annotations

from pathlib import Path

HEAD = ('<?xml version="1.0" encoding="UTF-8"?>\n'
        '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" '
        'xmlns:camunda="http://camunda.org/schema/1.0/bpmn" id="Defs_1" '
        'targetNamespace="http://bpmn.io/schema/bpmn">\n')


def one_task_process(process_id: str = "tiny", *, lane: str | None = "SJ 区市场监管局",
                     task: str = '<bpmn:userTask id="Task_A" name="审查" camunda:formKey="approval"/>',
                     condition: str | None = None, prolog: str = "") -> str:
    """start -> (the given task) -> [exclusive gateway on `condition`] -> end,
    in one lane."""
    task_id = task.split('id="')[1].split('"')[0]
    lanes = ""
    if lane is not None:
        refs = "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in ("StartEvent_1", task_id, "Gw", "EndEvent_1", "EndEvent_2"))
        lanes = f'<bpmn:laneSet id="LaneSet_1"><bpmn:lane id="Lane_1" name="{lane}">{refs}</bpmn:lane></bpmn:laneSet>'
    if condition is None:
        flows = (f'<bpmn:sequenceFlow id="F2" sourceRef="{task_id}" targetRef="EndEvent_1"/>')
        gateway = ""
    else:
        gateway = '<bpmn:exclusiveGateway id="Gw" default="F4"/><bpmn:endEvent id="EndEvent_2"/>'
        flows = (f'<bpmn:sequenceFlow id="F2" sourceRef="{task_id}" targetRef="Gw"/>'
                 f'<bpmn:sequenceFlow id="F3" sourceRef="Gw" targetRef="EndEvent_1">'
                 f'<bpmn:conditionExpression>{condition}</bpmn:conditionExpression></bpmn:sequenceFlow>'
                 f'<bpmn:sequenceFlow id="F4" sourceRef="Gw" targetRef="EndEvent_2"/>')
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{prolog}'
            + HEAD.split("\n", 1)[1]
            + f'<bpmn:process id="{process_id}" isExecutable="true">{lanes}'
            f'<bpmn:startEvent id="StartEvent_1"/>{task}{gateway}<bpmn:endEvent id="EndEvent_1"/>'
            f'<bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="{task_id}"/>{flows}'
            '</bpmn:process></bpmn:definitions>\n')


def write(tmp_path: Path, text: str, name: str = "tiny.bpmn") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path
