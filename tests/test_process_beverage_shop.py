"""开办饮品店 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step; then
simulated with random decisions."""
from __future__ import annotations

from datetime import datetime

import pytest

from engine.simulation.runner import simulate
from engine.workcalendar import BEIJING
from tests.walk import SIM_START, Walker, finish_company_setup, load_intake, on_clock, start as walk_start

KEY = "beverage_shop"
COMPANY = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}
CHECKLIST = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")


@pytest.fixture
def intake() -> dict:
    return load_intake(KEY)


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario=KEY, **changes)


def test_new_company_with_sign_over_50_m2_all_approved_on_site(runtime, intake):
    walk = start(runtime, intake, remote_inspection=False)  # no company yet, 68 m², a sign
    assert walk.last.status == "running"
    finish_company_setup(walk)
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:fire", "Task_Sign"}
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_FoodReview": "SJ", "Task_OnsiteInspection:fire": "XF", "Task_Sign": "CG"}
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_Sign", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert sorted(data["permits"]) == ["fire", "food", "sign"]
    assert {"id_card", "authorisation_letter", "lease_contract", "food_layout_plan", "fire_layout_plan",
            "sign_design"} <= set(data["materials"])
    assert data["approvals"]["food"]["department"] == "SJ"
    assert data["approvals"]["fire"]["department"] == "XF"


def test_small_shop_without_sign_needs_food_only_and_may_use_video(runtime, intake):
    walk = start(on_clock(runtime), intake, **COMPANY, area_m2=30, has_sign=False, remote_inspection=True)
    assert walk.open_tasks() == {"Task_FoodReview"}
    walk.complete("Task_FoodReview", decision="approve")
    assert walk.open_tasks() == {"Task_VideoBooking:food"}
    walk.complete("Task_VideoBooking:food")
    walk.complete("Task_VideoInspection:food", conclusion="rectify", recording_sha256="0f" * 32,
                  checklist={**CHECKLIST, "hygiene": "rectify"}, rectification_working_days=3)
    assert walk.open_tasks() == set()  # the rectification period runs
    # 3 working days after Monday 2026-03-02: Thursday 2026-03-05, at the end of the day.
    assert walk.wait_for_timer() == datetime(2026, 3, 5, 18, 0, tzinfo=BEIJING)
    assert walk.open_tasks() == {"Task_VideoBooking:food"}  # the re-check
    walk.complete("Task_VideoBooking:food")
    walk.complete("Task_VideoInspection:food", conclusion="pass", recording_sha256="1e" * 32,
                  checklist=CHECKLIST, licence_no="JY24201030001")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="ems").status == "completed"
    data = walk.data()
    assert data["permits"] == ["food"]
    assert {"permit": "food", "licence_no": "JY24201030001"} in data["results"]


def test_over_150_m2_gets_an_on_site_inspection_even_when_video_was_asked(runtime, intake):
    walk = start(runtime, intake, **COMPANY, area_m2=160, has_sign=False, remote_inspection=True)
    assert walk.open_tasks() == {"Task_FoodReview", "Task_OnsiteInspection:fire"}
    walk.complete("Task_FoodReview", decision="approve")
    assert walk.open_tasks() == {"Task_OnsiteInspection:food", "Task_OnsiteInspection:fire"}


def test_correction_round_reruns_only_what_was_not_approved(runtime, intake):
    walk = start(runtime, intake, **COMPANY, remote_inspection=False)
    walk.complete("Task_FoodReview", decision="correct", reason="缺少食品安全管理制度")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_Sign", decision="correct", reason="招牌尺寸超出门头")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    assert walk.data()["outcome"] == "correction"
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_FoodReview", "Task_Sign"}
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_Sign", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_failed_inspection_asks_for_correction(runtime, intake):
    walk = start(runtime, intake, **COMPANY, area_m2=20, has_sign=False, remote_inspection=False)
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="correct", mode="on_site", reason="操作间未设专用清洗池")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_FoodReview"}


def test_rejection_by_one_department_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, **COMPANY, has_sign=False, remote_inspection=False)
    walk.complete("Task_OnsiteInspection:fire", decision="reject", mode="on_site", reason="无第二安全出口")
    walk.complete("Task_FoodReview", decision="reject", reason="经营场所与住宅共用通道")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.data()["outcome"] == "rejected"
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, intake):
    walk = start(runtime, intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow_and_strands_nothing(runtime):
    report = simulate(runtime, KEY, 50, seed=1, start=SIM_START)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
