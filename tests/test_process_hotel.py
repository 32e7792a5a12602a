"""开办宾馆 walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step; plus a
simulation that takes every sequence flow."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, SIM_START, Walker, load_intake, serve_correction, start as walk_start

USCC = "91420103MA4KXXXX0Q"


@pytest.fixture
def hotel_intake() -> dict:
    return load_intake("hotel")


def existing(runtime, intake, **changes) -> Walker:
    base = dict(has_company=True, uscc=USCC, has_restaurant=False, discharge_to_sewer=False, has_sign=False)
    return start(runtime, intake, **{**base, **changes})


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="hotel", **changes)


def test_new_company_everything_needed_fire_before_special_trade(runtime, hotel_intake):
    walk = start(runtime, hotel_intake)  # no licence, restaurant 120 m² (on-site), sewer, sign
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    # GA waits for the fire opinion: not open yet.
    assert walk.open_tasks() == {"Task_OnsiteInspection:fire", "Task_OnsiteInspection:health",
                                 "Task_OnsiteInspection:food", "Task_OnsiteInspection:drainage", "Task_Sign"}
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {"Task_OnsiteInspection:fire": "XF", "Task_OnsiteInspection:health": "WJ",
                           "Task_OnsiteInspection:food": "SJ", "Task_OnsiteInspection:drainage": "SWJ",
                           "Task_Sign": "CG"}
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    assert "Task_OnsiteInspection:special_trade" in walk.open_tasks()
    assert {walk.label(i): i.department_code for i in walk.open_items()}["Task_OnsiteInspection:special_trade"] == "GA"
    for task in ("Task_OnsiteInspection:health", "Task_OnsiteInspection:food", "Task_OnsiteInspection:drainage",
                 "Task_OnsiteInspection:special_trade"):
        walk.complete(task, decision="approve", mode="on_site")
    walk.complete("Task_Sign", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {r["permit"] for r in data["results"]} >= {"fire", "special_trade", "health", "food", "drainage", "sign"}
    assert data["approvals"]["special_trade"]["department"] == "GA"


def test_fire_correction_holds_back_the_special_trade_licence(runtime, hotel_intake):
    walk = existing(runtime, hotel_intake)
    assert walk.open_tasks() == {"Task_OnsiteInspection:fire", "Task_OnsiteInspection:health"}
    walk.complete("Task_OnsiteInspection:fire", decision="correct", mode="on_site", reason="疏散指示标志缺失")
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="commitment")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    data = walk.data()
    assert data["outcome"] == "correction"
    assert [c["permit"] for c in data["corrections"]] == ["fire", "special_trade"]
    assert data["corrections"][1]["reason"] == "等待消防意见（前置事项）"
    serve_correction(walk)
    # Health approved in round one: not asked again; fire first, then GA.
    assert walk.open_tasks() == {"Task_OnsiteInspection:fire"}
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_OnsiteInspection:special_trade"}
    walk.complete("Task_OnsiteInspection:special_trade", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_special_trade_correction_keeps_the_fire_opinion(runtime, hotel_intake):
    walk = existing(runtime, hotel_intake)
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:special_trade", decision="correct", mode="on_site",
                  reason="身份证读卡设备未接入旅馆业治安管理信息系统")
    serve_correction(walk)
    # The approved fire opinion is kept: only GA runs again.
    assert walk.open_tasks() == {"Task_OnsiteInspection:special_trade"}
    walk.complete("Task_OnsiteInspection:special_trade", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    assert len(walk.data()["approvals_history"]) == 1


def test_fire_refusal_ends_the_case_without_asking_ga(runtime, hotel_intake):
    walk = existing(runtime, hotel_intake)
    walk.complete("Task_OnsiteInspection:fire", decision="reject", mode="on_site", reason="建筑未通过消防验收")
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"
    assert "special_trade" not in walk.data()["approvals"]


def test_small_hotel_restaurant_with_remote_inspection_uses_the_video_block(runtime, hotel_intake):
    walk = existing(runtime, hotel_intake, has_restaurant=True, restaurant_area_m2=120, remote_inspection=True,
                    appointment_at="2025-03-12T09:30:00+08:00")
    assert "Task_VideoBooking:food" in walk.open_tasks()
    walk.complete("Task_VideoBooking:food")
    checklist = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")
    walk.complete("Task_VideoInspection:food", conclusion="pass", recording_sha256="1e" * 32,
                  checklist=checklist, licence_no="JY14201030123")
    for task in ("Task_OnsiteInspection:fire", "Task_OnsiteInspection:health"):
        walk.complete(task, decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:special_trade", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    assert walk.data()["approvals"]["food"]["mode"] == "video"


def test_large_restaurant_gets_an_on_site_food_inspection(runtime, hotel_intake):
    walk = existing(runtime, hotel_intake, has_restaurant=True, restaurant_area_m2=400, remote_inspection=True,
                    appointment_at="2025-03-12T09:30:00+08:00")
    assert walk.open_tasks() == {"Task_OnsiteInspection:fire", "Task_OnsiteInspection:health",
                                 "Task_OnsiteInspection:food"}


def test_registration_refused_ends_the_case(runtime, hotel_intake):
    walk = start(runtime, hotel_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "hotel", 60, seed=1, start=SIM_START)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
