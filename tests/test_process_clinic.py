"""开办诊所 walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import Walker, finish_company_setup, load_intake, start as walk_start

EXISTING = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}


@pytest.fixture
def clinic_intake() -> dict:
    return load_intake("clinic")


def deliver_and_post_check(walk, check_result="pass"):
    assert walk.open_tasks() == {"Task_Delivery"}
    walk.complete("Task_Delivery", method="window")
    # The filed clinic is checked on site afterwards by WJ.
    assert [(walk.label(i), i.department_code) for i in walk.open_items()] == [("Task_CommitmentCheck:clinic_filing", "WJ")]
    return walk.complete("Task_CommitmentCheck:clinic_filing", check_result=check_result,
                         **({"reason": "未按承诺配备消毒设施"} if check_result != "pass" else {}))


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="clinic", **changes)


def test_new_company_with_xray_and_sewer_all_approved(runtime, clinic_intake):
    walk = start(runtime, clinic_intake)
    finish_company_setup(walk)
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {"Task_ClinicFiling": "WJ", "Task_OnsiteInspection:radiology": "WJ",
                           "Task_RadiationSafety": "HB", "Task_Env": "HB", "Task_OnsiteInspection:drainage": "SWJ"}
    data = walk.data()
    assert data["permits"] == ["clinic_filing", "radiology", "radiation_safety", "env", "drainage"]
    assert {"radiation_protection_evaluation", "medical_waste_contract", "lease_contract"} <= set(data["materials"])
    walk.complete("Task_ClinicFiling", decision="approve", licence_no="JHWJ-ZS-2025-001", post_check_due="2025-07-31")
    walk.complete("Task_OnsiteInspection:radiology", decision="approve", mode="on_site", licence_no="鄂卫放证字2025001")
    for task in ("Task_RadiationSafety", "Task_Env"):
        walk.complete(task, decision="approve")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    result = deliver_and_post_check(walk)
    assert result.status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert data["approvals"]["clinic_filing"]["check_result"] == "pass"
    assert data["approvals"]["radiation_safety"]["department"] == "HB"
    assert {"permit": "radiology", "licence_no": "鄂卫放证字2025001"} in data["results"]


def test_existing_company_without_xray_or_sewer(runtime, clinic_intake):
    del clinic_intake["xray_equipment"]
    walk = start(runtime, clinic_intake, **EXISTING, has_xray=False, discharge_to_sewer=False)
    assert walk.open_tasks() == {"Task_ClinicFiling", "Task_Env"}
    walk.complete("Task_ClinicFiling", decision="approve")
    walk.complete("Task_Env", decision="approve")
    assert deliver_and_post_check(walk).status == "completed"


def test_post_check_rectify_then_revoke(runtime, clinic_intake):
    walk = start(runtime, clinic_intake, **EXISTING, has_xray=False, discharge_to_sewer=False)
    walk.complete("Task_ClinicFiling", decision="approve")
    walk.complete("Task_Env", decision="approve")
    deliver_and_post_check(walk, "rectify")
    assert walk.open_tasks() == {"Task_CommitmentCheck:clinic_filing"}
    walk.complete("Task_CommitmentCheck:clinic_filing", check_result="revoke", reason="逾期未整改")
    result = walk.complete("Task_Revocation:clinic_filing")
    assert result.status == "completed"
    assert walk.data()["approvals"]["clinic_filing"]["decision"] == "revoked"


def test_correction_round_reruns_only_the_departments_not_yet_approved(runtime, clinic_intake):
    walk = start(runtime, clinic_intake, **EXISTING)
    walk.complete("Task_ClinicFiling", decision="approve")
    walk.complete("Task_OnsiteInspection:radiology", decision="correct", mode="on_site", reason="防护门铅当量不足")
    walk.complete("Task_RadiationSafety", decision="correct", reason="缺少个人剂量监测证明")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    assert walk.data()["outcome"] == "correction"
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_OnsiteInspection:radiology", "Task_RadiationSafety"}
    walk.complete("Task_OnsiteInspection:radiology", decision="approve", mode="on_site")
    walk.complete("Task_RadiationSafety", decision="approve")
    assert deliver_and_post_check(walk).status == "completed"


def test_rejection_ends_the_case_rejected(runtime, clinic_intake):
    walk = start(runtime, clinic_intake, **EXISTING, has_xray=False, discharge_to_sewer=False)
    walk.complete("Task_ClinicFiling", decision="reject", reason="主要负责人执业年限不足五年")
    walk.complete("Task_Env", decision="approve")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, clinic_intake):
    walk = start(runtime, clinic_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称不符合规定")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow(runtime):
    report = simulate(runtime, "clinic", 60, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
