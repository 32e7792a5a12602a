"""开办KTV walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step; plus a
simulation that takes every sequence flow. 消防 ⇢ 娱乐经营许可 is
configurable (sequence.dmn: fire_first); the GA filing follows the licence."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, serve_correction, start as walk_start

USCC = "91420103MA4KXXXX0Q"
FIRE = "Task_OnsiteInspection:fire"
ENT = "Task_OnsiteInspection:entertainment"
HEALTH = "Task_OnsiteInspection:health"


@pytest.fixture
def ktv_intake() -> dict:
    return load_intake("ktv")


def existing(runtime, intake, **changes) -> Walker:
    return start(runtime, intake, **{"has_company": True, "uscc": USCC, "has_sign": False, **changes})


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="ktv", **changes)


def test_new_company_fire_first_then_licence_then_police_filing(runtime, ktv_intake):
    walk = start(runtime, ktv_intake)  # no licence yet, no 告知承诺 -> fire first, a sign
    assert walk.data()["fire_first"] is True
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {FIRE, HEALTH, "Task_EnvFiling", "Task_Sign"}
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {FIRE: "XF", HEALTH: "WJ", "Task_EnvFiling": "HB", "Task_Sign": "CG"}
    walk.complete(FIRE, decision="approve", mode="on_site")
    assert ENT in walk.open_tasks()
    walk.complete(ENT, decision="approve", mode="on_site")
    assert "Task_GaFiling" in walk.open_tasks()
    assert {walk.label(i): i.department_code for i in walk.open_items()}["Task_GaFiling"] == "GA"
    walk.complete("Task_GaFiling", decision="approve")
    walk.complete(HEALTH, decision="approve", mode="commitment")
    walk.complete("Task_EnvFiling", decision="approve")
    walk.complete("Task_Sign", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert {r["permit"] for r in data["results"]} >= {"fire", "entertainment", "ga_filing", "health", "env", "sign"}


def test_with_commitment_fire_and_licence_run_in_parallel(runtime, ktv_intake):
    walk = existing(runtime, ktv_intake, commitment=True)
    assert walk.data()["fire_first"] is False
    assert walk.open_tasks() == {FIRE, ENT, HEALTH, "Task_EnvFiling"}
    walk.complete(ENT, decision="approve", mode="on_site")
    assert "Task_GaFiling" in walk.open_tasks()
    walk.complete("Task_GaFiling", decision="approve")
    for task in (FIRE, HEALTH):
        walk.complete(task, decision="approve", mode="commitment")
    walk.complete("Task_EnvFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_fire_correction_holds_back_licence_and_filing(runtime, ktv_intake):
    walk = existing(runtime, ktv_intake)
    walk.complete(FIRE, decision="correct", mode="on_site", reason="包厢疏散门宽度不足")
    walk.complete(HEALTH, decision="approve", mode="on_site")
    walk.complete("Task_EnvFiling", decision="approve")
    data = walk.data()
    assert data["outcome"] == "correction"
    assert {c["permit"] for c in data["corrections"]} == {"fire", "entertainment", "ga_filing"}
    serve_correction(walk)
    assert walk.open_tasks() == {FIRE}
    walk.complete(FIRE, decision="approve", mode="on_site")
    walk.complete(ENT, decision="approve", mode="on_site")
    walk.complete("Task_GaFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_licence_correction_reruns_only_the_licence_and_the_filing(runtime, ktv_intake):
    walk = existing(runtime, ktv_intake)
    walk.complete(FIRE, decision="approve", mode="on_site")
    walk.complete(ENT, decision="correct", mode="on_site", reason="包厢门窗透明度不符合规定")
    walk.complete(HEALTH, decision="approve", mode="on_site")
    walk.complete("Task_EnvFiling", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {ENT}
    walk.complete(ENT, decision="approve", mode="on_site")
    walk.complete("Task_GaFiling", decision="correct", reason="备案表缺少负责人签字")
    serve_correction(walk)
    # Licence kept: only the filing again.
    assert walk.open_tasks() == {"Task_GaFiling"}
    walk.complete("Task_GaFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_licence_refused_ends_the_case_rejected(runtime, ktv_intake):
    walk = existing(runtime, ktv_intake, commitment=True)
    walk.complete(ENT, decision="reject", mode="on_site", reason="距中小学校不足规定距离")
    assert "Task_GaFiling" not in walk.open_tasks()
    for task in (FIRE, HEALTH):
        walk.complete(task, decision="approve", mode="on_site")
    walk.complete("Task_EnvFiling", decision="approve")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, ktv_intake):
    walk = start(runtime, ktv_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "ktv", 60, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
