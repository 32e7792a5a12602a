"""退休 walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import Walker, load_intake, serve_correction

AFTER_PENSION = {"Task_MedicalInsurance", "Task_HousingFund"}


@pytest.fixture
def retirement_intake() -> dict:
    return load_intake("retirement")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("retirement", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_rs_approval_then_medical_insurance_and_housing_fund_in_parallel(runtime, retirement_intake):
    walk = start(runtime, retirement_intake)
    assert walk.case().applicant_name == "张建华"
    data = walk.data()
    assert data["permits"] == ["pension", "medical_insurance", "housing_fund"]
    assert {"personnel_archive", "housing_fund_withdrawal_form"} <= set(data["materials"])
    assert walk.open_tasks() == {"Task_Pension"}
    assert walk.item("Task_Pension").department_code == "RS"
    walk.complete("Task_Pension", decision="approve")
    assert walk.open_tasks() == AFTER_PENSION
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_MedicalInsurance": "YB", "Task_HousingFund": "GJJ"}
    for task in sorted(AFTER_PENSION):
        walk.complete(task, decision="approve")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved" and data["approvals"]["pension"]["monthly_pension"] >= 0


def test_nothing_else_asked_goes_straight_to_delivery(runtime, retirement_intake):
    walk = start(runtime, retirement_intake, has_employee_medical_insurance=False, has_housing_fund=False,
                 retirement_type="early_special_work")
    data = walk.data()
    assert data["permits"] == ["pension"]
    assert "special_work_proof" in data["materials"]
    walk.complete("Task_Pension", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_pension_correction_reruns_only_the_rs_step(runtime, retirement_intake):
    walk = start(runtime, retirement_intake)
    walk.complete("Task_Pension", decision="correct", reason="档案缺少招工审批表")
    assert walk.data()["outcome"] == "correction"
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_Pension"}
    walk.complete("Task_Pension", decision="approve")
    assert walk.open_tasks() == AFTER_PENSION


def test_parallel_item_correction_skips_the_approved_rs_step(runtime, retirement_intake):
    walk = start(runtime, retirement_intake)
    walk.complete("Task_Pension", decision="approve")
    walk.complete("Task_MedicalInsurance", decision="correct", reason="医保缴费年限不足，需一次性补缴")
    walk.complete("Task_HousingFund", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_MedicalInsurance"}
    walk.complete("Task_MedicalInsurance", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_refused_retirement_ends_the_case_rejected(runtime, retirement_intake):
    walk = start(runtime, retirement_intake)
    walk.complete("Task_Pension", decision="reject", reason="未达到法定退休年龄")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "retirement", 50, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
