"""开办民办幼儿园 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step.
筹设 ⇢ 办学许可 ⇢ 民非登记 (or company set-up) is one sequential chain (先证后照);
fire, health evaluation and the canteen licence run beside it."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, start as walk_start

SIDE = {"Task_OnsiteInspection:fire", "Task_OnsiteInspection:health_evaluation", "Task_OnsiteInspection:food"}


@pytest.fixture
def intake() -> dict:
    return load_intake("private_kindergarten")


def approve_side(walk, tasks=SIDE):
    for task in sorted(tasks):
        walk.complete(task, decision="approve", mode="on_site")


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="private_kindergarten", **changes)


def test_non_profit_with_canteen_all_approved(runtime, intake):
    walk = start(runtime, intake)
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {"Task_PrepApproval": "JY", "Task_OnsiteInspection:fire": "XF",
                           "Task_OnsiteInspection:health_evaluation": "WJ", "Task_OnsiteInspection:food": "SJ"}
    data = walk.data()
    assert data["permits"] == ["prep_approval", "school_licence", "npo_registration", "fire", "health_evaluation", "food"]
    assert {"preparation_application", "npo_articles", "food_layout_plan", "lease_contract",
            "authorisation_letter"} <= set(data["materials"])
    walk.complete("Task_PrepApproval", decision="approve", licence_no="江教筹〔2025〕3号", preparation_until="2026-06-30")
    # the licence inspection opens only after the 筹设 approval
    assert walk.open_tasks() == SIDE | {"Task_OnsiteInspection:school_licence"}
    walk.complete("Task_OnsiteInspection:school_licence", decision="approve", mode="on_site", licence_no="教民142010370001号")
    assert [(walk.label(i), i.department_code) for i in walk.open_items() if walk.label(i) not in SIDE] == \
        [("Task_NpoRegistration", "MZ")]
    walk.complete("Task_NpoRegistration", decision="approve", licence_no="鄂江民证字第2025001号")
    approve_side(walk)
    assert walk.open_tasks() == {"Task_Delivery"}
    result = walk.complete("Task_Delivery", method="window")
    assert result.status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {"permit": "school_licence", "licence_no": "教民142010370001号"} in data["results"]
    assert data["approvals"]["npo_registration"]["department"] == "MZ"


def test_for_profit_without_canteen_registers_the_company_after_the_licence(runtime, intake):
    walk = start(runtime, intake, organizer_form="for_profit", has_canteen=False)
    side = SIDE - {"Task_OnsiteInspection:food"}
    assert walk.open_tasks() == side | {"Task_PrepApproval"}
    assert "registration" in walk.data()["permits"]
    walk.complete("Task_PrepApproval", decision="approve")
    walk.complete("Task_OnsiteInspection:school_licence", decision="approve", mode="on_site")
    assert walk.open_tasks() == side | {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    assert walk.open_tasks() == side | COMPANY_SETUP_PARALLEL
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    approve_side(walk, side)
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["has_company"] is True and data["uscc"]


def test_licence_correction_skips_the_approved_preparation(runtime, intake):
    walk = start(runtime, intake, has_canteen=False)
    side = SIDE - {"Task_OnsiteInspection:food"}
    walk.complete("Task_PrepApproval", decision="approve")
    walk.complete("Task_OnsiteInspection:school_licence", decision="correct", mode="on_site", reason="户外场地生均面积不足")
    approve_side(walk, side)
    data = walk.data()
    assert data["outcome"] == "correction"
    # the registration never started: listed as waiting for the licence
    assert {c["permit"] for c in data["corrections"]} == {"school_licence", "npo_registration"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_OnsiteInspection:school_licence"}
    walk.complete("Task_OnsiteInspection:school_licence", decision="approve", mode="on_site")
    walk.complete("Task_NpoRegistration", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_registration_correction_skips_the_approved_licence(runtime, intake):
    walk = start(runtime, intake, has_canteen=False)
    walk.complete("Task_PrepApproval", decision="approve")
    walk.complete("Task_OnsiteInspection:school_licence", decision="approve", mode="on_site")
    walk.complete("Task_NpoRegistration", decision="correct", reason="章程缺少终止条款")
    approve_side(walk, SIDE - {"Task_OnsiteInspection:food"})
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_NpoRegistration"}
    walk.complete("Task_NpoRegistration", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_preparation_refused_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, has_canteen=False)
    walk.complete("Task_PrepApproval", decision="reject", reason="不符合本区学前教育布局规划")
    approve_side(walk, SIDE - {"Task_OnsiteInspection:food"})
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_company_registration_refused_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, organizer_form="for_profit", has_canteen=False)
    walk.complete("Task_PrepApproval", decision="approve")
    walk.complete("Task_OnsiteInspection:school_licence", decision="approve", mode="on_site")
    walk.complete("Task_Registration", decision="reject", reason="名称不符合规定")
    approve_side(walk, SIDE - {"Task_OnsiteInspection:food"})
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow(runtime):
    report = simulate(runtime, "private_kindergarten", 80, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
