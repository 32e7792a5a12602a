"""开办网吧 walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step; plus a
simulation that takes every sequence flow. The WL licence is two approvals in
one branch: 筹建审查 (internet_prep) ⇢ 实地检查 (internet); fire and the sign run
alongside."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, serve_correction, start as walk_start

USCC = "91420103F8MGMB4C0J"
FIRE = "Task_OnsiteInspection:fire"
CHECK = "Task_OnsiteInspection:internet"
PREP = "Task_InternetPrep"


@pytest.fixture
def cafe_intake() -> dict:
    return load_intake("internet_cafe")


def existing(runtime, intake, **changes) -> Walker:
    return start(runtime, intake, **{"has_company": True, "uscc": USCC, "has_sign": False, **changes})


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="internet_cafe", **changes)


def test_new_company_prep_then_check_with_fire_and_sign_in_parallel(runtime, cafe_intake):
    walk = start(runtime, cafe_intake)  # no licence yet, a sign
    data = walk.data()
    assert sorted(data["permits"]) == ["fire", "internet", "internet_prep", "sign"]
    assert {"venue_layout_plan", "network_security_plan", "fire_layout_plan", "sign_design",
            "lease_contract", "authorisation_letter"} <= set(data["materials"])
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {PREP, FIRE, "Task_Sign"}
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {PREP: "WL", FIRE: "XF", "Task_Sign": "CG"}
    walk.complete(PREP, decision="approve", licence_no="江文旅筹〔2025〕12号")
    assert CHECK in walk.open_tasks()
    assert {walk.label(i): i.department_code for i in walk.open_items()}[CHECK] == "WL"
    walk.complete(CHECK, decision="approve", mode="on_site")
    walk.complete(FIRE, decision="approve", mode="on_site")
    walk.complete("Task_Sign", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {r["permit"] for r in data["results"]} >= {"registration", "internet_prep", "internet", "fire", "sign"}


def test_prep_correction_holds_back_the_check(runtime, cafe_intake):
    walk = existing(runtime, cafe_intake)
    assert walk.open_tasks() == {PREP, FIRE}
    walk.complete(PREP, decision="correct", reason="距中学距离测量资料缺失")
    assert CHECK not in walk.open_tasks()
    walk.complete(FIRE, decision="approve", mode="commitment")
    data = walk.data()
    assert data["outcome"] == "correction"
    assert {c["permit"] for c in data["corrections"]} == {"internet_prep", "internet"}
    serve_correction(walk)
    assert walk.open_tasks() == {PREP}
    walk.complete(PREP, decision="approve")
    walk.complete(CHECK, decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_check_correction_reruns_only_the_check(runtime, cafe_intake):
    walk = existing(runtime, cafe_intake)
    walk.complete(PREP, decision="approve")
    walk.complete(CHECK, decision="correct", mode="on_site", reason="实名登记系统未联网")
    walk.complete(FIRE, decision="correct", mode="on_site", reason="疏散指示标志不足")
    serve_correction(walk)
    # The 筹建 approval is kept: only the check and the fire inspection again.
    assert walk.open_tasks() == {CHECK, FIRE}
    walk.complete(CHECK, decision="approve", mode="on_site")
    walk.complete(FIRE, decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_prep_refused_ends_the_case_rejected(runtime, cafe_intake):
    walk = existing(runtime, cafe_intake)
    walk.complete(PREP, decision="reject", reason="距中小学校不足200米")
    walk.complete(FIRE, decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_check_refused_ends_the_case_rejected(runtime, cafe_intake):
    walk = existing(runtime, cafe_intake, has_sign=True)
    walk.complete(PREP, decision="approve")
    walk.complete(CHECK, decision="reject", mode="on_site", reason="终端数量超出批准")
    walk.complete(FIRE, decision="approve", mode="on_site")
    walk.complete("Task_Sign", decision="approve")
    assert walk.data()["outcome"] == "rejected"
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, cafe_intake):
    walk = start(runtime, cafe_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "internet_cafe", 60, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
