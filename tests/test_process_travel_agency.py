"""开办旅行社 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import Walker, finish_company_setup, load_intake, serve_correction

USCC = "91420103MA4KXXXX0Q"


@pytest.fixture
def travel_intake() -> dict:
    return load_intake("travel_agency")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("travel_agency", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_new_company_licence_then_deposit_with_sign_in_parallel(runtime, travel_intake):
    walk = start(runtime, travel_intake)
    data = walk.data()
    assert data["permits"] == ["travel", "deposit", "sign"]
    assert {"travel_application", "deposit_receipt", "sign_design", "authorisation_letter"} <= set(data["materials"])
    finish_company_setup(walk)
    assert walk.open_tasks() == {"Task_TravelLicence", "Task_Sign"}
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {"Task_TravelLicence": "WL",
                                                                             "Task_Sign": "CG"}
    walk.complete("Task_Sign", decision="approve")
    walk.complete("Task_TravelLicence", decision="approve", licence_no="L-HUB-WH-00123")
    # the deposit only after the licence (hard dependency)
    assert walk.open_tasks() == {"Task_Deposit"}
    walk.complete("Task_Deposit", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert data["approvals"]["deposit"]["department"] == "WL"
    assert {"permit": "travel", "licence_no": "L-HUB-WH-00123"} in data["results"]


def test_existing_company_without_sign(runtime, travel_intake):
    walk = start(runtime, travel_intake, has_company=True, uscc=USCC, has_sign=False, deposit_method="bank_guarantee")
    data = walk.data()
    assert data["permits"] == ["travel", "deposit"]
    assert "bank_guarantee" in data["materials"] and "deposit_receipt" not in data["materials"]
    assert walk.open_tasks() == {"Task_TravelLicence"}
    walk.complete("Task_TravelLicence", decision="approve")
    walk.complete("Task_Deposit", decision="approve")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_licence_correction_leaves_the_deposit_pending_then_runs_it(runtime, travel_intake):
    walk = start(runtime, travel_intake, has_company=True, uscc=USCC)
    walk.complete("Task_TravelLicence", decision="correct", reason="导游劳动合同不全")
    walk.complete("Task_Sign", decision="approve")
    data = walk.data()
    assert data["outcome"] == "correction" and data["pending"] == ["deposit"]
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_TravelLicence"}  # the sign was approved: not asked again
    walk.complete("Task_TravelLicence", decision="approve")
    walk.complete("Task_Deposit", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_deposit_correction_skips_the_approved_licence(runtime, travel_intake):
    walk = start(runtime, travel_intake, has_company=True, uscc=USCC, has_sign=False)
    walk.complete("Task_TravelLicence", decision="approve")
    walk.complete("Task_Deposit", decision="correct", reason="存款金额不足 20 万元")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_Deposit"}
    walk.complete("Task_Deposit", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}


def test_licence_refused_ends_the_case_rejected(runtime, travel_intake):
    walk = start(runtime, travel_intake, has_company=True, uscc=USCC)
    walk.complete("Task_TravelLicence", decision="reject", reason="无固定经营场所")
    walk.complete("Task_Sign", decision="approve")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, travel_intake):
    walk = start(runtime, travel_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "travel_agency", 40, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
