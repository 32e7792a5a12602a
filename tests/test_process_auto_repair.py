"""开办汽车维修店 walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, serve_correction

USCC = "91420103NNHM83X07U"


@pytest.fixture
def repair_intake() -> dict:
    return load_intake("auto_repair")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("auto_repair", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_new_company_with_spray_painting_needs_the_eia_report_form(runtime, repair_intake):
    walk = start(runtime, repair_intake)
    data = walk.data()
    assert data["permits"] == ["repair_filing", "eia_report", "drainage"]
    assert {"eia_report_form", "hazardous_waste_contract", "property_certificate"} <= set(data["materials"])
    assert "eia_registration_form" not in data["materials"]
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_RepairFiling", "Task_EiaReport", "Task_OnsiteInspection:drainage"}
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_RepairFiling": "JT", "Task_EiaReport": "HB", "Task_OnsiteInspection:drainage": "SWJ"}
    walk.complete("Task_RepairFiling", decision="approve")
    walk.complete("Task_EiaReport", decision="approve")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert data["approvals"]["repair_filing"]["department"] == "JT"
    assert data["approvals"]["eia_report"]["discharge_registration_no"]


def test_no_spray_painting_means_the_registration_filing(runtime, repair_intake):
    walk = start(runtime, repair_intake, has_company=True, uscc=USCC, spray_painting=False, discharge_to_sewer=False)
    assert "Task_Registration" not in walk.open_tasks()
    assert walk.data()["permits"] == ["repair_filing", "eia_filing"]
    assert walk.open_tasks() == {"Task_RepairFiling", "Task_EiaFiling"}
    walk.complete("Task_EiaFiling", decision="approve")
    walk.complete("Task_RepairFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_correction_round_reruns_only_what_is_not_approved(runtime, repair_intake):
    walk = start(runtime, repair_intake, has_company=True, uscc=USCC)
    walk.complete("Task_RepairFiling", decision="approve")
    walk.complete("Task_EiaReport", decision="correct", reason="喷漆房废气收集效率论证不足")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    assert walk.data()["outcome"] == "correction"
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_EiaReport"}
    walk.complete("Task_EiaReport", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_refused_filing_ends_the_case_rejected(runtime, repair_intake):
    walk = start(runtime, repair_intake, has_company=True, uscc=USCC, discharge_to_sewer=False)
    walk.complete("Task_RepairFiling", decision="reject", reason="经营场所不符合维修作业条件")
    walk.complete("Task_EiaReport", decision="approve")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, repair_intake):
    walk = start(runtime, repair_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "auto_repair", 50, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
