"""开办烟酒店 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step; then
simulated with random decisions."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import SIM_START, Walker, finish_company_setup, load_intake, start as walk_start

KEY = "tobacco_liquor_shop"
COMPANY = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}
CHECKLIST = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")


@pytest.fixture
def intake() -> dict:
    return load_intake(KEY)


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario=KEY, **changes)


def test_new_individual_business_prepackaged_only_filing_and_tobacco(runtime, intake):
    walk = start(runtime, intake)  # no licence yet, bottled liquor and prepackaged food only
    finish_company_setup(walk)
    assert walk.open_tasks() == {"Task_FoodFiling", "Task_OnsiteInspection:tobacco"}
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_FoodFiling": "SJ", "Task_OnsiteInspection:tobacco": "YC"}
    walk.complete("Task_FoodFiling", decision="approve", licence_no="YB14201030009")
    walk.complete("Task_OnsiteInspection:tobacco", decision="approve", mode="on_site", licence_no="420103200009")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert sorted(data["permits"]) == ["food_filing", "tobacco"]
    assert "tobacco_site_plan" in data["materials"] and "food_layout_plan" not in data["materials"]
    assert {"permit": "food_filing", "licence_no": "YB14201030009"} in data["results"]


def test_bulk_liquor_needs_the_food_licence_with_on_site_inspection(runtime, intake):
    walk = start(runtime, intake, **COMPANY, food_categories=["prepackaged", "bulk_liquor"])
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:tobacco"}
    walk.complete("Task_FoodReview", decision="approve")
    assert walk.open_tasks() == {"Task_OnsiteInspection:food", "Task_OnsiteInspection:tobacco"}
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:tobacco", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"
    assert "food_layout_plan" in walk.data()["materials"]


def test_bulk_liquor_with_remote_inspection_uses_the_video_block(runtime, intake):
    walk = start(runtime, intake, **COMPANY, food_categories=["bulk_liquor"], remote_inspection=True,
                 appointment_at="2025-03-12T09:30:00+08:00")
    walk.complete("Task_FoodReview", decision="approve")
    assert walk.open_tasks() == {"Task_VideoBooking:food", "Task_OnsiteInspection:tobacco"}
    walk.complete("Task_VideoBooking:food")
    walk.complete("Task_VideoInspection:food", conclusion="pass", recording_sha256="1e" * 32,
                  checklist=CHECKLIST, licence_no="JY14201030009")
    walk.complete("Task_OnsiteInspection:tobacco", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_correction_round_reruns_only_the_filing(runtime, intake):
    walk = start(runtime, intake, **COMPANY)
    walk.complete("Task_FoodFiling", decision="correct", reason="缺少食品安全管理制度")
    walk.complete("Task_OnsiteInspection:tobacco", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_FoodFiling"}
    walk.complete("Task_FoodFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_food_review_not_passed_goes_to_correction(runtime, intake):
    walk = start(runtime, intake, **COMPANY, food_categories=["bulk"])
    walk.complete("Task_FoodReview", decision="correct", reason="缺少散装食品贮存设施说明")
    walk.complete("Task_OnsiteInspection:tobacco", decision="correct", mode="on_site", reason="卷烟陈列不符合要求")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    assert sorted(c["permit"] for c in walk.data()["corrections"]) == ["food", "tobacco"]


def test_tobacco_refused_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, **COMPANY)
    walk.complete("Task_FoodFiling", decision="approve")
    walk.complete("Task_OnsiteInspection:tobacco", decision="reject", mode="on_site", reason="与最近零售点间距不足")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, intake):
    walk = start(runtime, intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow_and_strands_nothing(runtime):
    report = simulate(runtime, KEY, 60, seed=1, start=SIM_START)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
