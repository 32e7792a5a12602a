"""开办洗浴·足浴店 walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import SIM_START, Walker, finish_company_setup, load_intake, serve_correction

USCC = "91420103DUMN87L70N"
ALL = {"Task_OnsiteInspection:health", "Task_OnsiteInspection:fire", "Task_OnsiteInspection:drainage",
       "Task_PrepaidFiling", "Task_Sign"}
BARE = dict(has_company=True, uscc=USCC, area_m2=45, discharge_to_sewer=False, serves_meals=False,
            has_prepaid_cards=False, has_sign=False)


@pytest.fixture
def bath_intake() -> dict:
    return load_intake("bathhouse")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("bathhouse", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_new_company_everything_needed_all_approved(runtime, bath_intake):
    walk = start(runtime, bath_intake, remote_inspection=False)
    data = walk.data()
    assert data["permits"] == ["health", "fire", "drainage", "food", "prepaid", "sign"]
    assert {"water_quality_report", "drainage_plan", "prepaid_fund_custody", "authorisation_letter"} <= set(data["materials"])
    finish_company_setup(walk)
    assert walk.open_tasks() == ALL | {"Task_OnsiteInspection:food"}
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_OnsiteInspection:health": "WJ", "Task_OnsiteInspection:fire": "XF",
        "Task_OnsiteInspection:drainage": "SWJ", "Task_OnsiteInspection:food": "SJ",
        "Task_PrepaidFiling": "SJ", "Task_Sign": "CG"}
    for task in sorted(ALL | {"Task_OnsiteInspection:food"}):
        walk.complete(task, decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert data["approvals"]["health"]["department"] == "WJ"
    assert {r["permit"] for r in data["results"]} >= {"health", "fire", "drainage", "food", "prepaid", "sign"}


def test_small_foot_spa_needs_only_the_hygiene_licence(runtime, bath_intake):
    walk = start(runtime, bath_intake, **BARE)
    assert "Task_Registration" not in walk.open_tasks()
    assert walk.data()["permits"] == ["health"]
    assert walk.open_tasks() == {"Task_OnsiteInspection:health"}
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_catering_area_up_to_150_m2_may_use_the_video_inspection(runtime, bath_intake):
    walk = start(runtime, bath_intake, **{**BARE, "serves_meals": True, "catering_area_m2": 80,
                                          "remote_inspection": True})
    assert walk.open_tasks() == {"Task_OnsiteInspection:health", "Task_VideoBooking:food"}
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site")
    checklist = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")
    walk.complete("Task_VideoBooking:food")
    walk.complete("Task_VideoInspection:food", conclusion="pass", recording_sha256="2a" * 32,
                  checklist=checklist, licence_no="JY14201030123")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    assert walk.data()["approvals"]["food"]["mode"] == "video"


def test_large_catering_area_gets_an_on_site_food_inspection(runtime, bath_intake):
    walk = start(runtime, bath_intake, **{**BARE, "serves_meals": True, "catering_area_m2": 151,
                                          "remote_inspection": True})
    assert walk.open_tasks() == {"Task_OnsiteInspection:health", "Task_OnsiteInspection:food"}


def test_correction_round_reruns_only_the_departments_not_yet_approved(runtime, bath_intake):
    walk = start(runtime, bath_intake, has_company=True, uscc=USCC, serves_meals=False)
    assert walk.open_tasks() == ALL
    walk.complete("Task_OnsiteInspection:health", decision="correct", mode="on_site", reason="布草消毒间未与更衣室分隔")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:drainage", decision="correct", mode="on_site", reason="缺少毛发收集井")
    walk.complete("Task_PrepaidFiling", decision="approve")
    walk.complete("Task_Sign", decision="approve")
    assert walk.data()["outcome"] == "correction"
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_OnsiteInspection:health", "Task_OnsiteInspection:drainage"}
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_rejection_by_one_department_ends_the_case_rejected(runtime, bath_intake):
    walk = start(runtime, bath_intake, **{**BARE, "area_m2": 300})
    walk.complete("Task_OnsiteInspection:fire", decision="reject", mode="on_site", reason="桑拿房疏散通道不符合规范")
    walk.complete("Task_OnsiteInspection:health", decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, bath_intake):
    walk = start(runtime, bath_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "bathhouse", 60, seed=1, start=SIM_START)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
