"""Bad input gets a clear error and loses nothing: invalid forms, unknown
scenarios, tasks that are not ready, the wrong department, hostile or
broken scripts at run time. After each refusal the case is exactly as it was."""
from __future__ import annotations

import pytest
from sqlalchemy import func, select

from engine.deployment import deploy_paths
from engine.runtime.errors import Conflict, Forbidden, InvalidData, NotFound, ProcessFailure
from models import Case, CaseEvent
from tests.bpmn_factory import one_task_process, write
from tests.walk import Walker, start


def case_count(runtime) -> int:
    with runtime.db.read() as session:
        return session.scalar(select(func.count()).select_from(Case))


def snapshot(walk):
    case = walk.case()
    with walk.runtime.db.read() as session:
        events = session.scalar(select(func.count()).where(CaseEvent.case_id == case.id))
    return case.version, case.state, events, sorted(walk.open_tasks())


def test_invalid_intake_lists_every_field_and_creates_no_case(runtime, intake):
    bad = {**intake, "legal_rep_id_no": intake["legal_rep_id_no"][:-1] + "0", "legal_rep_mobile": "12345"}
    del bad["area_m2"]
    with pytest.raises(InvalidData) as info:
        runtime.start_case("restaurant", bad, "clerk")
    errors = info.value.errors
    assert {"legal_rep_id_no", "legal_rep_mobile", "area_m2"} <= set(errors)
    assert all(message["zh"] and message["en"] for message in errors.values())
    assert case_count(runtime) == 0


def test_invalid_task_form_changes_nothing(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    before = snapshot(walk)
    item = walk.item("Task_Sign")
    with pytest.raises(InvalidData) as info:
        runtime.complete_task(walk.case_id, item.task_id, {"decision": "approve"}, "rev_cg")
    assert "licence_no" in info.value.errors  # required once the decision is approve
    with pytest.raises(InvalidData) as info:
        runtime.complete_task(walk.case_id, item.task_id, {"decision": "maybe"}, "rev_cg")
    assert "decision" in info.value.errors
    assert snapshot(walk) == before


def test_unknown_scenario(runtime, intake):
    with pytest.raises(NotFound, match="no deployed scenario 'no_such_thing'"):
        runtime.start_case("no_such_thing", intake, "clerk")


def test_wrong_department_is_forbidden_and_changes_nothing(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    before = snapshot(walk)
    item = walk.item("Task_OnsiteInspection:fire")
    with pytest.raises(Forbidden, match="department XF"):
        runtime.complete_task(walk.case_id, item.task_id, walk.answer_for(item, {"decision": "approve",
                              "mode": "on_site"}), "rev_sj")
    with pytest.raises(Forbidden):
        runtime.claim(walk.case_id, item.task_id, "rev_hb")
    with pytest.raises(Forbidden):  # the window clerk is not the fire brigade either
        runtime.complete_task(walk.case_id, item.task_id, {}, "clerk")
    assert snapshot(walk) == before


def test_staff_without_a_window_role_cannot_start_cases(runtime, intake):
    with pytest.raises(Forbidden):
        runtime.start_case("restaurant", intake, "rev_sj")
    with pytest.raises(Forbidden):
        runtime.start_case("restaurant", intake, "nobody")


def test_task_not_ready(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    item = walk.item("Task_Env")
    walk.complete("Task_Env", decision="approve")
    with pytest.raises(Conflict, match="already completed by rev_hb"):
        runtime.complete_task(walk.case_id, item.task_id, {"decision": "approve"}, "rev_hb2")
    with pytest.raises(NotFound):
        runtime.complete_task(walk.case_id, "00000000-0000-0000-0000-000000000000", {}, "rev_hb")
    with pytest.raises(NotFound):
        runtime.complete_task(walk.case_id, "not-a-uuid", {}, "rev_hb")
    with pytest.raises(NotFound):
        runtime.complete_task(999999, item.task_id, {}, "rev_hb")


def test_claimed_item_cannot_be_completed_by_a_colleague(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    item = walk.item("Task_Env")
    runtime.claim(walk.case_id, item.task_id, "rev_hb")
    with pytest.raises(Conflict, match="claimed by rev_hb"):
        runtime.complete_task(walk.case_id, item.task_id, walk.answer_for(item, {"decision": "approve"}), "rev_hb2")
    with pytest.raises(Conflict):
        runtime.release(walk.case_id, item.task_id, "rev_hb2")
    runtime.release(walk.case_id, item.task_id, "rev_hb")
    result = runtime.complete_task(walk.case_id, item.task_id, walk.answer_for(item, {"decision": "approve"}),
                                   "rev_hb2")
    assert "Task_Env" not in {i["task"] for i in result.work_items}


def test_withdrawn_case_refuses_further_work(runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    item = walk.item("Task_Env")
    with pytest.raises(Forbidden):
        runtime.withdraw(walk.case_id, "rev_hb")
    result = runtime.withdraw(walk.case_id, "clerk", "申请人撤回")
    assert result.status == "withdrawn" and result.work_items == []
    with pytest.raises(Conflict, match="withdrawn"):
        runtime.complete_task(walk.case_id, item.task_id, {"decision": "approve"}, "rev_hb")


HOSTILE_SCRIPTS = {
    "loop": "while True:\n    pass",
    "escape": "x = [c for c in ().__class__.__base__.__subclasses__()]",
    "import": "import os",
    "open": "x = open('/etc/passwd').read()",
    "bomb": "x = 'a' * (10 ** 10)",
}


def _deploy_script_process(runtime, tmp_path, name: str, script: str):
    """A user task followed by a script task, deployed with validation
    bypassed for the script (as if it had slipped through), to prove the
    runtime guard holds on its own."""
    from engine.deployment import store_version
    from engine.library import assemble, discover
    from engine.specs import SPEC_CACHE, compile_content

    task = f'<bpmn:userTask id="Task_A" name="受理"/>'
    text = one_task_process(f"hostile_{name}", lane="CK 综合窗口", task=task)
    text = text.replace('<bpmn:endEvent id="EndEvent_1"/>',
                        '<bpmn:scriptTask id="Script_X" scriptFormat="python"><bpmn:script>'
                        + script.replace("<", "&lt;") + '</bpmn:script></bpmn:scriptTask>'
                        '<bpmn:endEvent id="EndEvent_1"/><bpmn:sequenceFlow id="F9" sourceRef="Script_X" targetRef="EndEvent_1"/>')
    text = text.replace('sourceRef="Task_A" targetRef="EndEvent_1"', 'sourceRef="Task_A" targetRef="Script_X"')
    bundle = discover([write(tmp_path, text, f"{name}.bpmn")])[0]
    content, _ = assemble(bundle, {})
    SPEC_CACHE.put(compile_content(content))
    with runtime.db.write() as session:
        return store_version(session, content, None).key


@pytest.mark.parametrize("name", sorted(HOSTILE_SCRIPTS))
def test_hostile_script_at_run_time_fails_clearly_and_changes_nothing(runtime, tmp_path, name):
    key = _deploy_script_process(runtime, tmp_path, name, HOSTILE_SCRIPTS[name])
    result = runtime.start_case(key, None, "clerk")
    walk = Walker(runtime, result.case_id)
    before = snapshot(walk)
    item = walk.item("Task_A")
    with pytest.raises(ProcessFailure) as info:
        runtime.complete_task(walk.case_id, item.task_id, {}, "clerk")
    assert info.value.message
    assert "Traceback" not in info.value.message
    assert snapshot(walk) == before


def test_hostile_scripts_are_refused_at_deploy(runtime, tmp_path):
    from engine.problems import ProcessFileError

    text = one_task_process("hostile", lane=None, task=(
        '<bpmn:scriptTask id="Script_X" scriptFormat="python"><bpmn:script>'
        'x = ().__class__.__base__.__subclasses__()</bpmn:script></bpmn:scriptTask>'))
    with runtime.db.write() as session, pytest.raises(ProcessFileError) as info:
        deploy_paths(session, [write(tmp_path, text)])
    assert info.value.problems[0].element == "Script_X"


def test_an_endless_engine_loop_is_stopped_and_nothing_is_saved(runtime, tmp_path):
    """Script -> gateway -> back to the script, forever, with no one to wait for."""

    text = one_task_process("endless", lane="CK 综合窗口", task='<bpmn:userTask id="Task_A" name="受理"/>')
    text = text.replace(
        '<bpmn:endEvent id="EndEvent_1"/>',
        '<bpmn:scriptTask id="Script_Spin" scriptFormat="python"><bpmn:script>n = 1'
        '</bpmn:script></bpmn:scriptTask><bpmn:exclusiveGateway id="Gw_Spin" default="F_Back"/>'
        '<bpmn:endEvent id="EndEvent_1"/>'
        '<bpmn:sequenceFlow id="F_In" sourceRef="Script_Spin" targetRef="Gw_Spin"/>'
        '<bpmn:sequenceFlow id="F_Back" sourceRef="Gw_Spin" targetRef="Script_Spin"/>'
        '<bpmn:sequenceFlow id="F_Out" sourceRef="Gw_Spin" targetRef="EndEvent_1">'
        '<bpmn:conditionExpression>n &lt; 0</bpmn:conditionExpression></bpmn:sequenceFlow>')
    text = text.replace('sourceRef="Task_A" targetRef="EndEvent_1"', 'sourceRef="Task_A" targetRef="Script_Spin"')
    path = write(tmp_path, text, "endless.bpmn")
    with runtime.db.write() as session:
        key = deploy_paths(session, [path])[0].key
    result = runtime.start_case(key, None, "clerk")
    walk = Walker(runtime, result.case_id)
    before = snapshot(walk)
    item = walk.item("Task_A")
    with pytest.raises(ProcessFailure, match="without waiting for anyone"):
        runtime.complete_task(walk.case_id, item.task_id, {}, "clerk")
    assert snapshot(walk) == before
