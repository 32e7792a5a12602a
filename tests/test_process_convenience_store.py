"""开办便利店·超市 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step; then
simulated with random decisions."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import SIM_START, Walker, finish_company_setup, load_intake, start as walk_start

KEY = "convenience_store"
COMPANY = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}
CHECKLIST = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")


@pytest.fixture
def intake() -> dict:
    return load_intake(KEY)


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario=KEY, **changes)


def test_new_company_with_tobacco_bulk_food_and_sign_all_approved(runtime, intake):
    walk = start(runtime, intake)  # no company yet, 120 m², bulk food, tobacco, a sign
    finish_company_setup(walk)
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:tobacco", "Task_OnsiteInspection:fire",
                                 "Task_Sign"}
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_FoodReview": "SJ", "Task_OnsiteInspection:tobacco": "YC", "Task_OnsiteInspection:fire": "XF",
        "Task_Sign": "CG"}
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:tobacco", decision="approve", mode="on_site", licence_no="420103200001")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="commitment")
    walk.complete("Task_Sign", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert sorted(data["permits"]) == ["fire", "food", "sign", "tobacco"]
    assert {"tobacco_site_plan", "food_layout_plan", "fire_layout_plan"} <= set(data["materials"])
    assert data["approvals"]["tobacco"]["department"] == "YC"
    assert {"permit": "tobacco", "licence_no": "420103200001"} in data["results"]


def test_prepackaged_only_is_an_instant_filing_no_tobacco_small_shop(runtime, intake):
    walk = start(runtime, intake, **COMPANY, area_m2=40, food_categories=["prepackaged"], sells_tobacco=False,
                 has_sign=False)
    assert walk.open_tasks() == {"Task_FoodFiling"}
    item = walk.item("Task_FoodFiling")
    assert item.department_code == "SJ"
    walk.complete("Task_FoodFiling", decision="approve", licence_no="YB14201030001")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="ems").status == "completed"
    assert walk.data()["permits"] == ["food_filing"]


def test_large_supermarket_needs_the_health_licence(runtime, intake):
    walk = start(runtime, intake, **COMPANY, area_m2=800, food_categories=["prepackaged"], has_sign=False)
    assert walk.open_tasks() == {"Task_FoodFiling", "Task_OnsiteInspection:tobacco", "Task_Health",
                                 "Task_OnsiteInspection:fire"}
    assert walk.item("Task_Health").department_code == "WJ"
    walk.complete("Task_FoodFiling", decision="approve")
    walk.complete("Task_OnsiteInspection:tobacco", decision="approve", mode="on_site")
    walk.complete("Task_Health", decision="approve")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_small_shop_with_remote_inspection_uses_the_video_block_for_food(runtime, intake):
    walk = start(runtime, intake, **COMPANY, area_m2=45, sells_tobacco=False, has_sign=False,
                 remote_inspection=True, appointment_at="2025-03-12T09:30:00+08:00")
    assert walk.open_tasks() == {"Task_FoodReview"}
    walk.complete("Task_FoodReview", decision="approve")
    assert walk.open_tasks() == {"Task_VideoBooking:food"}
    walk.complete("Task_VideoBooking:food")
    walk.complete("Task_VideoInspection:food", conclusion="pass", recording_sha256="1e" * 32,
                  checklist=CHECKLIST, licence_no="JY14201030002")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_tobacco_spacing_failure_asks_for_correction_only_of_tobacco(runtime, intake):
    walk = start(runtime, intake, **COMPANY, has_sign=False)
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:tobacco", decision="correct", mode="on_site", reason="卷烟陈列不符合要求")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_OnsiteInspection:tobacco"}
    walk.complete("Task_OnsiteInspection:tobacco", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_food_review_not_passed_goes_to_correction(runtime, intake):
    walk = start(runtime, intake, **COMPANY, area_m2=30, sells_tobacco=False, has_sign=False)
    walk.complete("Task_FoodReview", decision="correct", reason="缺少散装食品贮存设施说明")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    assert walk.data()["corrections"] == [{"permit": "food", "reason": "缺少散装食品贮存设施说明"}]


def test_rejection_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, **COMPANY, area_m2=30, has_sign=False, food_categories=["prepackaged"])
    walk.complete("Task_FoodFiling", decision="approve")
    walk.complete("Task_OnsiteInspection:tobacco", decision="reject", mode="on_site", reason="距中小学校不足规定距离")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, intake):
    walk = start(runtime, intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow_and_strands_nothing(runtime):
    report = simulate(runtime, KEY, 80, seed=1, start=SIM_START)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
