"""The semantic diff between two process versions (engine/studio/version_diff.py):
the restaurant's v2 edited in memory and deployed, and small files for each
kind of change a designer makes in the studio."""
from __future__ import annotations

import json

import pytest

from engine.studio.version_diff import diff_files, diff_versions
from tests.bpmn_factory import one_task_process
from tests.edited_versions import RENAME_AND_ADD, RENAMED_ENV, active_version, deploy_edited, restore_versions


def _process(result: dict, process_id: str) -> dict:
    return next(p for p in result["processes"] if p["process_id"] == process_id)


@pytest.mark.usefixtures(restore_versions.__name__)
def test_the_restaurant_v2_diff_lists_exactly_the_renamed_and_added_elements(db):
    v1 = active_version(db, "restaurant")
    v2 = deploy_edited(db, "restaurant", RENAME_AND_ADD)
    with db.read() as session:
        result = diff_versions(session, v1.id, v2.id)
    json.dumps(result)  # a page gets it as it is
    assert (result["from"]["version"], result["to"]["version"]) == (v1.version, v2.version)
    restaurant = _process(result, "restaurant")
    assert restaurant["status"] == "changed"
    assert [(e["id"], e["type"], e["name"]) for e in restaurant["added"]] == [
        ("Flow_Archive_End", "sequenceFlow", ""), ("Task_Archive", "userTask", "归档")]
    assert restaurant["removed"] == []
    changed = {e["id"]: e["changes"] for e in restaurant["changed"]}
    # the rename, and the rewiring the added task needs: one flow now ends at
    # it, and the end event is reached through the new flow
    assert changed == {
        "Task_Env": {"name": {"old": "环评登记表备案 ＋排污登记", "new": RENAMED_ENV}},
        "Flow_Delivery_End": {"target": {"old": "End_Issued", "new": "Task_Archive"}},
        "End_Issued": {"incoming": {"old": ["Flow_Delivery_End"], "new": ["Flow_Archive_End"]}},
    }
    assert restaurant["marks"] == {"Task_Archive": "added", "Flow_Archive_End": "added", "Task_Env": "changed",
                                   "Flow_Delivery_End": "changed", "End_Issued": "changed"}
    assert restaurant["diagram_changes"] == 1 and restaurant["moved"] == ["End_Issued"]
    assert {p["status"] for p in result["processes"] if p["process_id"] != "restaurant"} == {"unchanged"}
    assert result["files"]["bpmn"]["changed"] == [restaurant["file"]]
    assert result["files"]["dmn"] == result["files"]["forms"] == {"added": [], "removed": [], "changed": []}
    assert result["summary"] == {"added": 2, "removed": 0, "changed": 3, "diagram_changes": 1, "files_changed": 1}
    assert result["metadata"] == {}


def _files(bpmn: str, dmn: str = "<dmn/>") -> dict:
    return {"bpmn": {"tiny.bpmn": bpmn}, "dmn": {"t.dmn": dmn}, "forms": {"approval": "{}"}}


TASK = ('<bpmn:userTask id="Task_A" name="审查" camunda:candidateGroups="SJ" camunda:dueDate="now()">'
        '<bpmn:extensionElements><camunda:formData><camunda:formField id="ok" label="同意" type="boolean"/>'
        '</camunda:formData><camunda:properties><camunda:property name="permit" value="food"/></camunda:properties>'
        '</bpmn:extensionElements></bpmn:userTask>')


def test_each_kind_of_change_is_named_with_its_old_and_new_value():
    old = one_task_process(task=TASK, condition="approved")
    new = one_task_process(task=TASK.replace('camunda:candidateGroups="SJ"', 'camunda:candidateGroups="XF"')
                           .replace('camunda:dueDate="now()"', 'camunda:dueDate="add_working_days(now(), 2)"')
                           .replace('label="同意"', 'label="准予"')
                           .replace('value="food"', 'value="fire"'),
                           condition="approved and ok", lane="HB 生态环境分局")
    result = diff_files(_files(old), _files(new, dmn="<dmn v='2'/>"))
    changes = {e["id"]: e["changes"] for e in _process(result, "tiny")["changed"]}
    task = changes["Task_A"]
    assert task["camunda:candidateGroups"] == {"old": "SJ", "new": "XF"}
    assert task["camunda:dueDate"] == {"old": "now()", "new": "add_working_days(now(), 2)"}
    assert task["form_fields"]["new"] == [{"id": "ok", "label": "准予", "type": "boolean"}]
    assert task["properties"] == {"old": {"permit": "food"}, "new": {"permit": "fire"}}
    assert task["lane"] == {"old": "SJ 区市场监管局", "new": "HB 生态环境分局"}
    assert task["department"] == {"old": "SJ", "new": "XF"}  # candidateGroups before the lane
    assert changes["F3"] == {"condition": {"old": "approved", "new": "approved and ok"}}
    assert result["files"]["dmn"]["changed"] == ["t.dmn"] and result["files"]["forms"]["changed"] == []


def test_timers_decisions_and_types_are_changes_and_diagram_moves_only_a_count():
    def process(task: str, timer: str, x: int) -> str:
        text = one_task_process(task=task)
        boundary = ('<bpmn:boundaryEvent id="Timer_1" attachedToRef="Task_A"><bpmn:timerEventDefinition>'
                    f'<bpmn:timeDuration>{timer}</bpmn:timeDuration></bpmn:timerEventDefinition></bpmn:boundaryEvent>')
        diagram = ('<bpmndi:BPMNDiagram id="D" xmlns:bpmndi="http://www.omg.org/spec/BPMN/20100524/DI" '
                   'xmlns:dc="http://www.omg.org/spec/DD/20100524/DC"><bpmndi:BPMNPlane id="P" bpmnElement="tiny">'
                   f'<bpmndi:BPMNShape id="S" bpmnElement="EndEvent_1"><dc:Bounds x="{x}" y="0" width="36" '
                   'height="36"/></bpmndi:BPMNShape></bpmndi:BPMNPlane></bpmndi:BPMNDiagram>')
        return text.replace("</bpmn:process>", boundary + "</bpmn:process>" + diagram)

    rule = '<bpmn:businessRuleTask id="Task_A" name="审查" camunda:decisionRef="{}"/>'
    old = process(rule.format("permits"), "'PT2H'", 100)
    moved = diff_files(_files(old), _files(process(rule.format("permits"), "'PT2H'", 300)))
    assert moved["summary"] == {"added": 0, "removed": 0, "changed": 0, "diagram_changes": 1, "files_changed": 1}
    changed = diff_files(_files(old), _files(process(rule.format("permits_v2"), "'PT4H'", 100)))
    changes = {e["id"]: e["changes"] for e in _process(changed, "tiny")["changed"]}
    assert changes["Task_A"] == {"camunda:decisionRef": {"old": "permits", "new": "permits_v2"}}
    assert changes["Timer_1"] == {"timer": {"old": {"timeDuration": "'PT2H'"}, "new": {"timeDuration": "'PT4H'"}}}
    retyped = diff_files(_files(old), _files(process('<bpmn:userTask id="Task_A" name="审查"/>', "'PT2H'", 100)))
    task = next(e for e in _process(retyped, "tiny")["changed"] if e["id"] == "Task_A")
    assert task["type"] == "userTask" and task["changes"]["type"] == {"old": "businessRuleTask", "new": "userTask"}
    assert task["changes"]["camunda:decisionRef"] == {"old": "permits", "new": None}


def test_a_removed_process_and_an_unreadable_file_are_reported():
    result = diff_files(_files(one_task_process()), {"bpmn": {"tiny.bpmn": "<not xml"}, "dmn": {}, "forms": {}})
    tiny = _process(result, "tiny")
    assert tiny["status"] == "removed" and {e["id"] for e in tiny["removed"]} >= {"Task_A", "F1"}
    assert result["problems"] and result["files"]["dmn"]["removed"] == ["t.dmn"]
