"""开办宠物诊所 walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, serve_correction

USCC = "91420103FLF5F9EW8Y"


@pytest.fixture
def pet_intake() -> dict:
    return load_intake("pet_clinic")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("pet_clinic", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_new_company_with_xray_all_approved(runtime, pet_intake):
    walk = start(runtime, pet_intake)
    data = walk.data()
    assert data["permits"] == ["vet", "env", "radiation", "drainage"]
    assert {"medical_waste_contract", "carcass_disposal_contract", "radiation_protection_docs"} <= set(data["materials"])
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_VetReview", "Task_Env", "Task_Radiation", "Task_OnsiteInspection:drainage"}
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_VetReview": "NY", "Task_Env": "HB", "Task_Radiation": "HB", "Task_OnsiteInspection:drainage": "SWJ"}
    walk.complete("Task_VetReview", decision="approve")
    assert "Task_OnsiteInspection:vet" in walk.open_tasks()
    assert walk.item("Task_OnsiteInspection:vet").department_code == "NY"
    walk.complete("Task_OnsiteInspection:vet", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_Radiation", decision="approve")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved" and data["approvals"]["vet"]["department"] == "NY"


def test_existing_company_without_xray_or_sewer(runtime, pet_intake):
    walk = start(runtime, pet_intake, has_company=True, uscc=USCC, has_xray=False, discharge_to_sewer=False)
    assert walk.data()["permits"] == ["vet", "env"]
    assert walk.open_tasks() == {"Task_VetReview", "Task_Env"}
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_VetReview", decision="approve")
    walk.complete("Task_OnsiteInspection:vet", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_review_correction_skips_the_inspection_and_reruns_only_the_vet_licence(runtime, pet_intake):
    walk = start(runtime, pet_intake, has_company=True, uscc=USCC, discharge_to_sewer=False)
    walk.complete("Task_VetReview", decision="correct", reason="缺少执业兽医聘用合同")
    assert "Task_OnsiteInspection:vet" not in walk.open_tasks()
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_Radiation", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_VetReview"}
    walk.complete("Task_VetReview", decision="approve")
    walk.complete("Task_OnsiteInspection:vet", decision="correct", mode="on_site", reason="隔离室未独立设置")
    serve_correction(walk)
    walk.complete("Task_VetReview", decision="approve")
    walk.complete("Task_OnsiteInspection:vet", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_radiation_refused_ends_the_case_rejected(runtime, pet_intake):
    walk = start(runtime, pet_intake, has_company=True, uscc=USCC, discharge_to_sewer=False)
    walk.complete("Task_Radiation", decision="reject", reason="屏蔽防护不符合要求")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_VetReview", decision="approve")
    walk.complete("Task_OnsiteInspection:vet", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, pet_intake):
    walk = start(runtime, pet_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "pet_clinic", 50, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
