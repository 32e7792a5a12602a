"""新生儿出生 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import Walker, load_intake, serve_correction

AFTER_HUKOU = {"Task_MedicalInsurance", "Task_SsCard", "Task_Vaccination"}


@pytest.fixture
def newborn_intake() -> dict:
    return load_intake("newborn")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("newborn", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_certificate_then_hukou_then_three_items_in_parallel(runtime, newborn_intake):
    walk = start(runtime, newborn_intake)
    assert walk.case().applicant_name == "王芳"
    data = walk.data()
    assert data["permits"] == ["birth_certificate", "hukou", "medical_insurance", "ss_card", "vaccination"]
    assert "child_photo" in data["materials"]
    assert walk.open_tasks() == {"Task_BirthCertificate"}
    assert walk.item("Task_BirthCertificate").department_code == "WJ"
    walk.complete("Task_BirthCertificate", decision="approve")
    assert walk.open_tasks() == {"Task_Hukou"}
    walk.complete("Task_Hukou", decision="approve")
    assert walk.open_tasks() == AFTER_HUKOU
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_MedicalInsurance": "YB", "Task_SsCard": "RS", "Task_Vaccination": "WJ"}
    for task in sorted(AFTER_HUKOU):
        walk.complete(task, decision="approve")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved" and data["approvals"]["hukou"]["citizen_id_no"]


def test_nothing_optional_asked_goes_straight_to_delivery(runtime, newborn_intake):
    walk = start(runtime, newborn_intake, enrol_medical_insurance=False, apply_ss_card=False, vaccination_cert_issued=True)
    assert walk.data()["permits"] == ["birth_certificate", "hukou"]
    walk.complete("Task_BirthCertificate", decision="approve")
    walk.complete("Task_Hukou", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}


def test_hukou_correction_reruns_only_the_hukou(runtime, newborn_intake):
    walk = start(runtime, newborn_intake)
    walk.complete("Task_BirthCertificate", decision="approve")
    walk.complete("Task_Hukou", decision="correct", reason="缺少户主同意落户的书面意见")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_Hukou"}
    walk.complete("Task_Hukou", decision="approve")
    assert walk.open_tasks() == AFTER_HUKOU


def test_certificate_correction_then_parallel_item_correction(runtime, newborn_intake):
    walk = start(runtime, newborn_intake)
    walk.complete("Task_BirthCertificate", decision="correct", reason="出生医学证明母亲姓名与身份证不一致")
    serve_correction(walk)
    walk.complete("Task_BirthCertificate", decision="approve")
    walk.complete("Task_Hukou", decision="approve")
    walk.complete("Task_MedicalInsurance", decision="approve")
    walk.complete("Task_SsCard", decision="correct", reason="照片不符合制卡要求")
    walk.complete("Task_Vaccination", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_SsCard"}
    walk.complete("Task_SsCard", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


@pytest.mark.parametrize("task", ["Task_BirthCertificate", "Task_Hukou"])
def test_refusal_ends_the_case_rejected(runtime, newborn_intake, task):
    walk = start(runtime, newborn_intake)
    if task == "Task_Hukou":
        walk.complete("Task_BirthCertificate", decision="approve")
    walk.complete(task, decision="reject", reason="不符合办理条件")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "newborn", 50, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
