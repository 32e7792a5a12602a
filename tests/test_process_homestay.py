"""开办民宿 walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step; plus a
simulation that takes every sequence flow."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, start as walk_start

USCC = "91420103MA4KXXXX0Q"


@pytest.fixture
def homestay_intake() -> dict:
    return load_intake("homestay")


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="homestay", **changes)


def test_street_review_comes_first_then_company_setup_then_the_permits(runtime, homestay_intake):
    walk = start(runtime, homestay_intake)  # no licence yet, serves meals
    assert walk.open_tasks() == {"Task_StreetReview"}
    assert walk.open_items()[0].department_code == "CK"
    walk.complete("Task_StreetReview", street_review="pass")
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_OnsiteInspection:special_trade", "Task_OnsiteInspection:health", "Task_Food"}
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {"Task_OnsiteInspection:special_trade": "GA", "Task_OnsiteInspection:health": "WJ",
                           "Task_Food": "SJ"}
    walk.complete("Task_OnsiteInspection:special_trade", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="commitment")
    walk.complete("Task_Food", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {r["permit"] for r in data["results"]} >= {"special_trade", "health", "food"}


def test_street_review_refused_ends_the_case_before_anything_else(runtime, homestay_intake):
    walk = start(runtime, homestay_intake)
    walk.complete("Task_StreetReview", street_review="fail", street_review_reason="邻里意见未达成一致")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    data = walk.data()
    assert data["rejections"] == [{"permit": "street_review", "reason": "邻里意见未达成一致"}]
    assert "registration" not in data["approvals"]
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_no_meals_no_food_licence_and_a_correction_round(runtime, homestay_intake):
    walk = start(runtime, homestay_intake, has_company=True, uscc=USCC, serves_meals=False)
    walk.complete("Task_StreetReview", street_review="conditional", street_conditions="开业前加装楼梯间应急照明")
    assert walk.data()["street_conditions"] == "开业前加装楼梯间应急照明"
    assert walk.open_tasks() == {"Task_OnsiteInspection:special_trade", "Task_OnsiteInspection:health"}
    walk.complete("Task_OnsiteInspection:special_trade", decision="correct", mode="on_site", reason="监控未覆盖出入口")
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=False)
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_OnsiteInspection:special_trade"}
    walk.complete("Task_OnsiteInspection:special_trade", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_a_refused_permit_ends_the_case_rejected(runtime, homestay_intake):
    walk = start(runtime, homestay_intake, has_company=True, uscc=USCC)
    walk.complete("Task_StreetReview", street_review="pass")
    walk.complete("Task_Food", decision="reject", reason="厨房布局不具备条件")
    walk.complete("Task_OnsiteInspection:special_trade", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, homestay_intake):
    walk = start(runtime, homestay_intake)
    walk.complete("Task_StreetReview", street_review="pass")
    walk.complete("Task_Registration", decision="reject", reason="名称不符合规定")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_premises_over_the_homestay_limits_are_not_accepted(runtime, homestay_intake):
    from engine.runtime.errors import CommandError

    with pytest.raises(CommandError):
        runtime.start_case("homestay", {**homestay_intake, "floors": 5}, "clerk")
    with pytest.raises(CommandError):
        runtime.start_case("homestay", {**homestay_intake, "guest_room_area_m2": 801}, "clerk")


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "homestay", 80, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
