"""开办托育机构 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step.
Registration (block B, or 民非 at MZ) ⇢ 托育机构备案 (WJ, 即办), fire and canteen
beside it, WJ post-check after delivery."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, start as walk_start

EXISTING = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}


@pytest.fixture
def intake() -> dict:
    return load_intake("childcare_centre")


def deliver_and_post_check(walk, check_result="pass"):
    assert walk.open_tasks() == {"Task_Delivery"}
    walk.complete("Task_Delivery", method="window")
    assert [(walk.label(i), i.department_code) for i in walk.open_items()] == \
        [("Task_CommitmentCheck:childcare_filing", "WJ")]
    return walk.complete("Task_CommitmentCheck:childcare_filing", check_result=check_result,
                         **({"reason": "保育人员与婴幼儿比例不足"} if check_result != "pass" else {}))


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="childcare_centre", **changes)


def test_non_profit_with_canteen_registers_then_files(runtime, intake):
    walk = start(runtime, intake)
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {"Task_NpoRegistration": "MZ", "Task_Fire": "XF", "Task_OnsiteInspection:food": "SJ"}
    data = walk.data()
    assert data["permits"] == ["childcare_filing", "npo_registration", "fire", "food"]
    assert {"npo_articles", "childcare_filing_form", "food_layout_plan"} <= set(data["materials"])
    walk.complete("Task_NpoRegistration", decision="approve", licence_no="鄂江民证字第2025002号")
    assert {walk.label(i): i.department_code for i in walk.open_items()}["Task_ChildcareFiling"] == "WJ"
    walk.complete("Task_ChildcareFiling", decision="approve", licence_no="江卫托备〔2025〕001号", post_check_due="2025-09-30")
    walk.complete("Task_Fire", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site", licence_no="JY34201030001234")
    result = deliver_and_post_check(walk)
    assert result.status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert data["approvals"]["childcare_filing"]["check_result"] == "pass"
    assert {"permit": "childcare_filing", "licence_no": "江卫托备〔2025〕001号"} in data["results"]


def test_for_profit_goes_through_company_setup_first(runtime, intake):
    walk = start(runtime, intake, organizer_form="for_profit", has_canteen=False)
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_ChildcareFiling", "Task_Fire"}
    assert "npo_registration" not in walk.data()["permits"]
    walk.complete("Task_ChildcareFiling", decision="approve")
    walk.complete("Task_Fire", decision="approve")
    assert deliver_and_post_check(walk).status == "completed"


def test_existing_entity_files_at_once(runtime, intake):
    walk = start(runtime, intake, **EXISTING, has_canteen=False)
    assert walk.open_tasks() == {"Task_ChildcareFiling", "Task_Fire"}
    walk.complete("Task_ChildcareFiling", decision="approve")
    walk.complete("Task_Fire", decision="approve")
    assert deliver_and_post_check(walk).status == "completed"


def test_registration_correction_holds_the_filing_until_registered(runtime, intake):
    walk = start(runtime, intake, has_canteen=False)
    walk.complete("Task_NpoRegistration", decision="correct", reason="章程缺少举办者权利义务")
    walk.complete("Task_Fire", decision="approve")
    data = walk.data()
    assert data["outcome"] == "correction"
    assert {c["permit"] for c in data["corrections"]} == {"npo_registration", "childcare_filing"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_NpoRegistration"}
    walk.complete("Task_NpoRegistration", decision="approve")
    walk.complete("Task_ChildcareFiling", decision="approve")
    assert deliver_and_post_check(walk).status == "completed"


def test_post_check_rectify_then_revoke(runtime, intake):
    walk = start(runtime, intake, **EXISTING, has_canteen=False)
    walk.complete("Task_ChildcareFiling", decision="approve")
    walk.complete("Task_Fire", decision="approve")
    deliver_and_post_check(walk, "rectify")
    walk.complete("Task_CommitmentCheck:childcare_filing", check_result="revoke", reason="逾期未整改")
    result = walk.complete("Task_Revocation:childcare_filing")
    assert result.status == "completed"
    assert walk.data()["approvals"]["childcare_filing"]["decision"] == "revoked"


def test_rejection_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, **EXISTING, has_canteen=False)
    walk.complete("Task_ChildcareFiling", decision="reject", reason="场所位于四层以上")
    walk.complete("Task_Fire", decision="approve")
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_company_registration_refused_ends_the_case(runtime, intake):
    walk = start(runtime, intake, organizer_form="for_profit")
    walk.complete("Task_Registration", decision="reject", reason="名称不符合规定")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow(runtime):
    report = simulate(runtime, "childcare_centre", 80, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
