"""The shared blocks of processes/common (DESIGN.md decision 10), each walked
through the real runtime from a small calling process, restoring the case
from the database before every step; and the caller's-department rule
(engine/call_sites.py) they rely on."""
from __future__ import annotations

from datetime import datetime, timezone

import pytest

from engine.deployment import deploy_paths
from engine.problems import ProcessFileError
from engine.runtime.errors import Forbidden, InvalidData
from tests.bpmn_factory import HEAD, write
from engine.workcalendar import BEIJING
from tests.walk import Walker, on_clock

SHA = "ab" * 32
NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # Tuesday 10:00 in Beijing


def caller_process(process_id: str, setup: str, calls: list[tuple[str, str, str, str]]) -> str:
    """start -> script `setup` (window) -> the calls in parallel -> end.
    calls: (call id, lane name, called block, permit or '')."""
    lanes: dict[str, list[str]] = {"CK 综合窗口": ["StartEvent_1", "Script_Setup", "Gw_Split", "Gw_Join", "EndEvent_1"]}
    body, flows = [], []
    for call_id, lane, block, permit in calls:
        lanes.setdefault(lane, []).append(call_id)
        props = (f'<bpmn:extensionElements><camunda:properties><camunda:property name="permit" value="{permit}"/>'
                 '</camunda:properties></bpmn:extensionElements>') if permit else ""
        body.append(f'<bpmn:callActivity id="{call_id}" calledElement="{block}">{props}</bpmn:callActivity>')
        flows.append(f'<bpmn:sequenceFlow id="F_{call_id}_in" sourceRef="Gw_Split" targetRef="{call_id}"/>'
                     f'<bpmn:sequenceFlow id="F_{call_id}_out" sourceRef="{call_id}" targetRef="Gw_Join"/>')
    lane_xml = "".join(f'<bpmn:lane id="Lane_{i}" name="{name}">'
                       + "".join(f"<bpmn:flowNodeRef>{n}</bpmn:flowNodeRef>" for n in refs) + "</bpmn:lane>"
                       for i, (name, refs) in enumerate(lanes.items()))
    return (HEAD + f'<bpmn:process id="{process_id}" isExecutable="true">'
            f'<bpmn:laneSet id="LaneSet_1">{lane_xml}</bpmn:laneSet>'
            '<bpmn:startEvent id="StartEvent_1"/>'
            f'<bpmn:scriptTask id="Script_Setup" scriptFormat="python"><bpmn:script>{setup}</bpmn:script></bpmn:scriptTask>'
            '<bpmn:parallelGateway id="Gw_Split"/><bpmn:parallelGateway id="Gw_Join"/><bpmn:endEvent id="EndEvent_1"/>'
            + "".join(body) + "".join(flows)
            + '<bpmn:sequenceFlow id="F1" sourceRef="StartEvent_1" targetRef="Script_Setup"/>'
            '<bpmn:sequenceFlow id="F2" sourceRef="Script_Setup" targetRef="Gw_Split"/>'
            '<bpmn:sequenceFlow id="F3" sourceRef="Gw_Join" targetRef="EndEvent_1"/>'
            '</bpmn:process></bpmn:definitions>\n')


def walk_caller(runtime, tmp_path, process_id, setup, calls) -> Walker:
    path = write(tmp_path, caller_process(process_id, setup, calls), f"{process_id}.bpmn")
    with runtime.db.write() as session:
        key = deploy_paths(session, [path])[0].key
    result = runtime.start_case(key, None, "clerk")
    runtime.workflows.clear()
    walk = Walker(runtime, result.case_id)
    walk.last = result
    return walk


def test_inspection_block_takes_each_callers_department_and_permit(runtime, tmp_path):
    walk = walk_caller(runtime, tmp_path, "two_inspections", "approvals = {}", [
        ("Call_Fire", "XF 区消防救援大队", "onsite_inspection", "fire"),
        ("Call_Food", "SJ 区市场监管局", "onsite_inspection", "food")])
    assert walk.open_tasks() == {"Task_OnsiteInspection:fire", "Task_OnsiteInspection:food"}
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_OnsiteInspection:fire": "XF", "Task_OnsiteInspection:food": "SJ"}
    fire = walk.item("Task_OnsiteInspection:fire")
    with pytest.raises(Forbidden, match="department XF"):
        runtime.complete_task(walk.case_id, fire.task_id, walk.answer_for(fire, {"decision": "approve"}), "rev_sj")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    result = walk.complete("Task_OnsiteInspection:food", decision="reject", mode="on_site", reason="无证")
    assert result.status == "completed"
    data = walk.data()
    assert data["approvals"]["fire"]["decision"] == "approve" and data["approvals"]["fire"]["by"] == "rev_xf"
    assert data["approvals"]["food"]["decision"] == "reject" and data["approvals"]["food"]["department"] == "SJ"
    assert "caller" not in data  # the block's view of its call site does not leak out


def test_video_inspection_rectify_then_recheck(runtime, tmp_path):
    on_clock(runtime, NOW)
    walk = walk_caller(runtime, tmp_path, "video", "approvals = {}",
                       [("Call_Video", "SJ 区市场监管局", "video_inspection", "food")])
    assert walk.open_tasks() == {"Task_VideoBooking:food"}
    booking = walk.item("Task_VideoBooking:food")
    # At least two inspectors, each an active member of the department, no one twice.
    for inspectors in (["rev_sj"], ["rev_sj", "rev_sj"], ["rev_sj", "rev_xf"], ["rev_sj", "张三"]):
        with pytest.raises(InvalidData) as info:
            runtime.complete_task(walk.case_id, booking.task_id,
                                  walk.answer_for(booking, {"inspectors": inspectors}), "rev_sj")
        assert "inspectors" in info.value.errors, inspectors
    walk.complete("Task_VideoBooking:food", inspectors=["rev_sj", "rev_sj2"])
    checklist = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")
    item = walk.item("Task_VideoInspection:food")
    for bad in ({"recording_sha256": "not-a-hash"},  # sha256 hex only
                {"conclusion": "pass", "checklist": {**checklist, "hygiene": "rectify"}},  # pass needs every item passed
                {"conclusion": "fail", "checklist": {**checklist, "hygiene": "fail"}, "recording_file": 999},
                {"conclusion": "rectify", "checklist": {**checklist, "hygiene": "rectify"}, "reason": "x",
                 "rectification_working_days": 0}):  # a deadline of at least one working day
        fixed = {"conclusion": "pass", "checklist": checklist, "recording_sha256": SHA, **bad}
        with pytest.raises(InvalidData):
            runtime.complete_task(walk.case_id, item.task_id, walk.answer_for(item, fixed), "rev_sj")
    # A period that runs into 2027 (no statutory data yet) is refused, never guessed: the timer waits for it.
    with pytest.raises(InvalidData) as info:
        runtime.complete_task(walk.case_id, item.task_id, walk.answer_for(item, {
            "conclusion": "rectify", "checklist": {**checklist, "hygiene": "rectify"}, "reason": "x",
            "recording_sha256": SHA, "rectification_working_days": 30}), "rev_sj")
    assert "2027" in info.value.errors["rectification_working_days"]["en"]
    walk.complete("Task_VideoInspection:food", conclusion="rectify", recording_sha256=SHA,
                  checklist={**checklist, "hygiene": "rectify"}, reason="后厨地面破损", rectification_working_days=5)
    assert walk.open_tasks() == set()  # the rectification period runs: a timer, then the re-check
    # 5 working days from Tuesday 2026-12-01: Tuesday 2026-12-08, at the end of the day.
    assert walk.wait_for_timer() == datetime(2026, 12, 8, 18, 0, tzinfo=BEIJING)
    assert walk.open_tasks() == {"Task_VideoBooking:food"}  # re-check after rectification
    walk.complete("Task_VideoBooking:food", inspectors=["rev_sj2", "rev_sj"])
    # The re-check's recording is uploaded: the server's SHA-256 wins over anything typed.
    recording = upload_recording(runtime, walk.case_id, tmp_path)
    result = walk.complete("Task_VideoInspection:food", conclusion="pass", recording_sha256=SHA,
                           recording_file=recording.id, checklist=checklist)
    assert result.status == "completed"
    food = walk.data()["approvals"]["food"]
    assert (food["decision"], food["mode"], food["department"]) == ("approve", "video", "SJ")
    first, second = food["video_rounds"]
    assert [first["conclusion"], second["conclusion"]] == ["rectify", "pass"]
    # 5 working days from Tuesday 2026-12-01: Tuesday 2026-12-08.
    assert (first["rectification_working_days"], first["rectification_deadline"]) == (5, "2026-12-08")
    assert (second["recording_file"], second["recording_sha256"]) == (recording.id, recording.sha256)
    assert recording.sha256 != SHA


def upload_recording(runtime, case_id: int, tmp_path):
    import io

    from engine.file_store import FileStore
    from engine.task_checks import RECORDING_PURPOSE
    from models import User

    files = FileStore(tmp_path / "uploads")
    blob = files.save(io.BytesIO(b"\0\0\0\x18ftypmp42" + b"\0" * 64), "勘验录像.mp4", kind="video")
    with runtime.db.write() as session:
        owner = session.query(User).filter_by(username="rev_sj").one()
        row = files.record(session, blob, owner.id, RECORDING_PURPOSE, case_id=case_id)
        session.expunge(row)
    return row


def test_correction_block_one_notice_supply_until_complete_then_archive(runtime, tmp_path):
    setup = ("permits = ['food', 'fire']\napprovals = {'food': {'decision': 'correct', 'reason': '缺制度'}, "
             "'fire': {'decision': 'approve'}}\ncorrections = [{'permit': 'food', 'reason': '缺制度'}]")
    walk = walk_caller(runtime, tmp_path, "corr", setup, [("Call_Correction", "CK 综合窗口", "correction", "")])
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    walk.complete("Task_CorrectionNotice", items=["食品安全管理制度"])
    walk.complete("Task_CorrectionSupply", complete=False)
    assert walk.open_tasks() == {"Task_CorrectionSupply"}  # still waiting for the rest
    assert walk.complete("Task_CorrectionSupply", complete=True).status == "completed"
    data = walk.data()
    assert data["items"] == ["食品安全管理制度"] and data["complete"] is True
    assert list(data["approvals"]) == ["fire"]  # only the not-approved record is archived
    assert [(h["round"], h["permit"]) for h in data["approvals_history"]] == [(1, "food")]
    assert data["correction_round"] == 1


def test_result_delivery_lists_the_results_and_needs_a_tracking_number_by_mail(runtime, tmp_path):
    setup = "approvals = {'food': {'decision': 'approve', 'licence_no': 'JY14201030001'}, 'env': {'decision': 'approve'}}"
    walk = walk_caller(runtime, tmp_path, "deliver", setup, [("Call_Delivery", "CK 综合窗口", "result_delivery", "")])
    item = walk.item("Task_Delivery")
    data = walk.answer_for(item, {"method": "ems"})
    data.pop("tracking_no", None)
    with pytest.raises(InvalidData) as info:
        runtime.complete_task(walk.case_id, item.task_id, data, "clerk")
    assert "tracking_no" in info.value.errors
    assert walk.complete("Task_Delivery", method="ems", tracking_no="EA123456789CN").status == "completed"
    assert walk.data()["results"] == [{"permit": "food", "licence_no": "JY14201030001"}]


@pytest.mark.parametrize("path", ["pass", "rectify_then_revoke"])
def test_commitment_verification(runtime, tmp_path, path):
    setup = "approvals = {'fire': {'decision': 'approve', 'mode': 'commitment', 'post_check_due': '2025-06-30'}}"
    walk = walk_caller(runtime, tmp_path, f"post_{path}", setup,
                       [("Call_PostCheck", "XF 区消防救援大队", "commitment_verification", "fire")])
    assert [(walk.label(i), i.department_code) for i in walk.open_items()] == [("Task_CommitmentCheck:fire", "XF")]
    if path == "pass":
        assert walk.complete("Task_CommitmentCheck:fire", check_result="pass").status == "completed"
        assert walk.data()["approvals"]["fire"]["decision"] == "approve"
        return
    walk.complete("Task_CommitmentCheck:fire", check_result="rectify", reason="疏散指示缺失")
    assert walk.open_tasks() == {"Task_CommitmentCheck:fire"}  # checked again after the deadline
    walk.complete("Task_CommitmentCheck:fire", check_result="revoke", reason="逾期未整改")
    assert walk.complete("Task_Revocation:fire", credit_record_no="XY2025001").status == "completed"
    fire = walk.data()["approvals"]["fire"]
    assert (fire["decision"], fire["credit_record_no"], fire["department"]) == ("revoked", "XY2025001", "XF")


def test_a_caller_lane_block_needs_the_call_activitys_permit(runtime, tmp_path):
    path = write(tmp_path, caller_process("no_permit", "approvals = {}",
                                          [("Call_X", "XF 区消防救援大队", "onsite_inspection", "")]), "no_permit.bpmn")
    with runtime.db.write() as session, pytest.raises(ProcessFileError) as info:
        deploy_paths(session, [path])
    assert [(p.element, "permit" in p.message) for p in info.value.problems] == [("Call_X", True)]


def test_each_call_site_has_its_own_copy_of_the_block(runtime, tmp_path):
    walk = walk_caller(runtime, tmp_path, "copies", "approvals = {}", [
        ("Call_A", "XF 区消防救援大队", "onsite_inspection", "fire"),
        ("Call_B", "SWJ 区水务局", "onsite_inspection", "drainage")])
    compiled = walk.compiled()
    assert sorted(compiled.subprocess_specs) == ["onsite_inspection@copies/Call_A", "onsite_inspection@copies/Call_B"]
    infos = {k: (v.department, v.permit) for k, v in compiled.user_tasks.items()}
    assert infos == {("onsite_inspection@copies/Call_A", "Task_OnsiteInspection"): ("XF", "fire"),
                     ("onsite_inspection@copies/Call_B", "Task_OnsiteInspection"): ("SWJ", "drainage")}
