"""开办养老机构 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step.
Registration (block B, or 民非 at MZ) ⇢ 养老机构备案 (MZ, 即办); fire and canteen
on site, 医养结合 filing at WJ beside it; MZ post-check after delivery."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, start as walk_start

EXISTING = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}
PLAIN = {"has_canteen": False, "has_medical_unit": False}


@pytest.fixture
def intake() -> dict:
    return load_intake("elderly_care")


def deliver_and_post_check(walk, check_result="pass"):
    assert walk.open_tasks() == {"Task_Delivery"}
    walk.complete("Task_Delivery", method="window")
    assert [(walk.label(i), i.department_code) for i in walk.open_items()] == \
        [("Task_CommitmentCheck:elderly_filing", "MZ")]
    return walk.complete("Task_CommitmentCheck:elderly_filing", check_result=check_result,
                         **({"reason": "护理人员配备不足"} if check_result != "pass" else {}))


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="elderly_care", **changes)


def test_non_profit_with_canteen_and_medical_unit(runtime, intake):
    walk = start(runtime, intake)
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {"Task_NpoRegistration": "MZ", "Task_OnsiteInspection:fire": "XF",
                           "Task_OnsiteInspection:food": "SJ", "Task_MedicalFiling": "WJ"}
    data = walk.data()
    assert data["permits"] == ["elderly_filing", "npo_registration", "fire", "food", "medical"]
    assert {"npo_articles", "elderly_filing_form", "medical_staff_certificates"} <= set(data["materials"])
    walk.complete("Task_NpoRegistration", decision="approve", licence_no="鄂江民证字第2025003号")
    assert {walk.label(i): i.department_code for i in walk.open_items()}["Task_ElderlyFiling"] == "MZ"
    walk.complete("Task_ElderlyFiling", decision="approve", licence_no="江民养备〔2025〕001号", post_check_due="2025-08-29")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_MedicalFiling", decision="approve")
    result = deliver_and_post_check(walk)
    assert result.status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert data["approvals"]["medical"]["department"] == "WJ"
    assert {"permit": "elderly_filing", "licence_no": "江民养备〔2025〕001号"} in data["results"]


def test_for_profit_goes_through_company_setup_first(runtime, intake):
    walk = start(runtime, intake, organizer_form="for_profit", **PLAIN)
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_ElderlyFiling", "Task_OnsiteInspection:fire"}
    walk.complete("Task_ElderlyFiling", decision="approve")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    assert deliver_and_post_check(walk).status == "completed"


def test_registration_correction_holds_the_filing_until_registered(runtime, intake):
    walk = start(runtime, intake, **PLAIN)
    walk.complete("Task_NpoRegistration", decision="correct", reason="验资报告缺失")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    data = walk.data()
    assert {c["permit"] for c in data["corrections"]} == {"npo_registration", "elderly_filing"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_NpoRegistration"}
    walk.complete("Task_NpoRegistration", decision="approve")
    walk.complete("Task_ElderlyFiling", decision="approve")
    assert deliver_and_post_check(walk).status == "completed"


def test_post_check_rectify_then_revoke(runtime, intake):
    walk = start(runtime, intake, **EXISTING, **PLAIN)
    assert walk.open_tasks() == {"Task_ElderlyFiling", "Task_OnsiteInspection:fire"}
    walk.complete("Task_ElderlyFiling", decision="approve")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    deliver_and_post_check(walk, "rectify")
    walk.complete("Task_CommitmentCheck:elderly_filing", check_result="revoke", reason="逾期未整改")
    assert walk.complete("Task_Revocation:elderly_filing").status == "completed"
    assert walk.data()["approvals"]["elderly_filing"]["decision"] == "revoked"


def test_fire_refused_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, **EXISTING, **PLAIN)
    walk.complete("Task_ElderlyFiling", decision="approve")
    walk.complete("Task_OnsiteInspection:fire", decision="reject", mode="on_site", reason="疏散通道不符合要求")
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_company_registration_refused_ends_the_case(runtime, intake):
    walk = start(runtime, intake, organizer_form="for_profit")
    walk.complete("Task_Registration", decision="reject", reason="名称不符合规定")
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow(runtime):
    report = simulate(runtime, "elderly_care", 80, seed=1)
    assert report.errors == []
    assert report.stranded == []
    # Seed 1 never has block B's registration corrected within 80 runs (the for-profit
    # new-company path is one case in four); a second seed covers that block flow.
    assert report.untaken == ["Flow_RegistrationCorrect"]
    second = simulate(runtime, "elderly_care", 60, seed=3)
    assert second.errors == []
    assert second.stranded == []
    assert set(report.untaken) & set(second.untaken) == set()
