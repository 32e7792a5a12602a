"""开办健身房·游泳馆 walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step;
plus a simulation that takes every sequence flow. All component items run in
parallel; when none applies the inclusive split goes straight to the join."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, serve_correction, start as walk_start

USCC = "91420103F8MGMB4C0J"
HIGH_RISK = "Task_OnsiteInspection:high_risk_sports"
HEALTH = "Task_OnsiteInspection:health"
FIRE = "Task_OnsiteInspection:fire"


@pytest.fixture
def gym_intake() -> dict:
    return load_intake("gym")


def existing(runtime, intake, **changes) -> Walker:
    return start(runtime, intake, **{"has_company": True, "uscc": USCC, "has_sign": False, **changes})


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="gym", **changes)


def test_new_company_with_pool_runs_every_item_in_parallel(runtime, gym_intake):
    walk = start(runtime, gym_intake)  # no licence yet, a pool, prepaid cards, a sign, 1500 m²
    data = walk.data()
    assert sorted(data["permits"]) == ["fire", "health", "high_risk_sports", "prepaid", "sign"]
    assert {"sports_staff_certificates", "pool_hygiene_documents", "fire_layout_plan",
            "prepaid_filing_form", "sign_design"} <= set(data["materials"])
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {HIGH_RISK: "WL", HEALTH: "WJ", FIRE: "XF", "Task_PrepaidFiling": "SJ", "Task_Sign": "CG"}
    walk.complete(HIGH_RISK, decision="approve", mode="on_site")
    walk.complete(HEALTH, decision="approve", mode="on_site")
    walk.complete(FIRE, decision="approve", mode="commitment")
    walk.complete("Task_PrepaidFiling", decision="approve")
    walk.complete("Task_Sign", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {r["permit"] for r in data["results"]} >= {"registration", "high_risk_sports", "health", "fire", "prepaid", "sign"}


def test_gym_without_pool_but_climbing_needs_no_health_licence(runtime, gym_intake):
    walk = existing(runtime, gym_intake, has_pool=False, has_other_high_risk=True,
                    high_risk_items=["climbing"], social_sports_instructors=2, has_prepaid_cards=False)
    assert sorted(walk.data()["permits"]) == ["fire", "high_risk_sports"]
    assert walk.open_tasks() == {HIGH_RISK, FIRE}
    walk.complete(HIGH_RISK, decision="approve", mode="on_site")
    walk.complete(FIRE, decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_small_studio_needs_nothing_beyond_the_company(runtime, gym_intake):
    walk = start(runtime, gym_intake, area_m2=40, has_pool=False, has_other_high_risk=False,
                 has_prepaid_cards=False, has_sign=False)
    assert walk.data()["permits"] == []
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    assert walk.data()["outcome"] == "approved"


def test_pool_corrections_rerun_only_those_items(runtime, gym_intake):
    walk = existing(runtime, gym_intake)
    walk.complete(HIGH_RISK, decision="correct", mode="on_site", reason="救生员人数不足")
    walk.complete(HEALTH, decision="correct", mode="on_site", reason="水质检测报告过期")
    walk.complete(FIRE, decision="approve", mode="on_site")
    walk.complete("Task_PrepaidFiling", decision="approve")
    data = walk.data()
    assert data["outcome"] == "correction"
    assert {c["permit"] for c in data["corrections"]} == {"high_risk_sports", "health"}
    serve_correction(walk)
    assert walk.open_tasks() == {HIGH_RISK, HEALTH}
    walk.complete(HIGH_RISK, decision="approve", mode="on_site")
    walk.complete(HEALTH, decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_high_risk_refused_ends_the_case_rejected(runtime, gym_intake):
    walk = existing(runtime, gym_intake, has_prepaid_cards=False)
    walk.complete(HIGH_RISK, decision="reject", mode="on_site", reason="泳池水深标识及救生设施不符合国家标准")
    walk.complete(HEALTH, decision="approve", mode="on_site")
    walk.complete(FIRE, decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, gym_intake):
    walk = start(runtime, gym_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "gym", 80, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []


def test_existing_company_and_nothing_needed_still_completes(runtime, gym_intake):
    walk = existing(runtime, gym_intake, area_m2=30, has_pool=False, has_other_high_risk=False,
                    has_prepaid_cards=False)
    assert walk.data()["permits"] == []
    assert walk.data()["outcome"] == "approved"
    assert walk.complete("Task_Delivery", method="window").status == "completed"
