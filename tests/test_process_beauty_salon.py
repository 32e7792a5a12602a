"""开办美容美发店 walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, start as walk_start

EXISTING = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}


@pytest.fixture
def salon_intake() -> dict:
    return load_intake("beauty_salon")


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="beauty_salon", **changes)


def test_medical_beauty_is_not_accepted_and_sent_to_the_clinic_route(runtime, salon_intake):
    walk = start(runtime, salon_intake, medical_beauty=True)
    assert walk.open_tasks() == {"Task_NotAcceptedNotice"}  # no company set-up, no department work
    data = walk.data()
    assert data["redirect_to"] == "clinic" and "开办诊所" in data["rejections"][0]["reason"]
    assert walk.complete("Task_NotAcceptedNotice", method="window").status == "rejected"


def test_new_company_with_prepaid_cards_and_sign_all_approved(runtime, salon_intake):
    walk = start(runtime, salon_intake)
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_OnsiteInspection:health": "WJ", "Task_PrepaidFiling": "SJ", "Task_Sign": "CG"}
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site", licence_no="鄂卫公证字2025-0202")
    walk.complete("Task_PrepaidFiling", decision="approve")
    walk.complete("Task_Sign", decision="approve")
    result = walk.complete("Task_Delivery", method="ems")
    assert result.status == "completed"  # granted after the inspection: no post-check
    assert walk.data()["outcome"] == "approved"


def test_health_licence_on_commitment_is_checked_afterwards(runtime, salon_intake):
    walk = start(runtime, salon_intake, **EXISTING, has_prepaid_cards=False, has_sign=False)
    assert walk.open_tasks() == {"Task_OnsiteInspection:health"}
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="commitment", post_check_due="2025-09-30")
    walk.complete("Task_Delivery", method="window")
    assert [(walk.label(i), i.department_code) for i in walk.open_items()] == [("Task_CommitmentCheck:health", "WJ")]
    assert walk.complete("Task_CommitmentCheck:health", check_result="pass").status == "completed"


def test_correction_round_then_rejection(runtime, salon_intake):
    walk = start(runtime, salon_intake, **EXISTING, has_sign=False)
    walk.complete("Task_OnsiteInspection:health", decision="correct", mode="on_site", reason="消毒间未分区")
    walk.complete("Task_PrepaidFiling", decision="approve")
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_OnsiteInspection:health"}
    walk.complete("Task_OnsiteInspection:health", decision="reject", mode="on_site", reason="整改后仍不符合卫生要求")
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow(runtime):
    report = simulate(runtime, "beauty_salon", 60, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
