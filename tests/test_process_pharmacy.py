"""开办药店 walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step; plus a
simulation that takes every sequence flow. Since the 2023 药品经营和使用质量
监督管理办法 there is no separate 筹建 approval: the drug licence is a
document review, then the shared on-site inspection."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, serve_correction, start as walk_start

USCC = "914201039073J035QC"
DRUG = "Task_OnsiteInspection:drug"


@pytest.fixture
def intake() -> dict:
    return load_intake("pharmacy")


def existing(runtime, intake, **changes) -> Walker:
    return start(runtime, intake, **{"has_company": True, "uscc": USCC, "has_sign": False,
                                     "sells_devices": False, "sells_special_food": False, **changes})


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="pharmacy", **changes)


def test_the_intake_file_is_a_valid_form(runtime, intake):
    walk = start(runtime, intake)
    assert walk.data()["permits"] == ["drug", "device_filing", "food_filing", "sign"]
    assert {"pharmacist_certificates", "device_filing_form", "food_filing_form", "sign_design",
            "lease_contract", "authorisation_letter"} <= set(walk.data()["materials"])


def test_new_company_every_item_in_parallel_then_delivery(runtime, intake):
    walk = start(runtime, intake)
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_DrugReview", "Task_DeviceFiling", "Task_FoodFiling", "Task_Sign"}
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {"Task_DrugReview": "SJ", "Task_DeviceFiling": "SJ", "Task_FoodFiling": "SJ", "Task_Sign": "CG"}
    walk.complete("Task_DrugReview", decision="approve")
    assert DRUG in walk.open_tasks()
    walk.complete("Task_DeviceFiling", decision="approve")
    walk.complete("Task_FoodFiling", decision="approve")
    walk.complete("Task_Sign", decision="approve")
    walk.complete(DRUG, decision="approve", mode="on_site", licence_no="鄂CA0270001")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="ems").status == "completed"
    data = walk.data()
    assert data["approvals"]["drug"]["licence_no"] == "鄂CA0270001"
    assert {r["permit"] for r in data["results"]} >= {"drug", "device_filing", "food_filing", "sign"}


def test_review_correction_then_inspection_correction_rerun_only_the_drug_licence(runtime, intake):
    walk = existing(runtime, intake, sells_devices=True)
    assert walk.open_tasks() == {"Task_DrugReview", "Task_DeviceFiling"}
    walk.complete("Task_DrugReview", decision="correct", reason="缺少执业药师注册证")
    walk.complete("Task_DeviceFiling", decision="approve")
    data = walk.data()
    assert data["outcome"] == "correction"
    assert [c["permit"] for c in data["corrections"]] == ["drug"]
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_DrugReview"}  # the filing stays approved
    walk.complete("Task_DrugReview", decision="approve")
    walk.complete(DRUG, decision="correct", mode="on_site", reason="阴凉区温湿度监测设备未安装")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_DrugReview"}
    walk.complete("Task_DrugReview", decision="approve")
    walk.complete(DRUG, decision="approve", mode="on_site")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_drug_licence_refused_on_site_ends_the_case_rejected(runtime, intake):
    walk = existing(runtime, intake, has_sign=True)
    walk.complete("Task_Sign", decision="approve")
    walk.complete("Task_DrugReview", decision="approve")
    walk.complete(DRUG, decision="reject", mode="on_site", reason="无执业药师在岗")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_drug_licence_refused_at_review(runtime, intake):
    walk = existing(runtime, intake)
    walk.complete("Task_DrugReview", decision="reject", reason="经营范围超出条件")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, intake):
    walk = start(runtime, intake)
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "pharmacy", 40, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
