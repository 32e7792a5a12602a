"""企业开办（通用） walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import Walker, load_intake

SETUP_PARALLEL = {"Task_Seal", "Task_Tax", "Task_SocialInsurance", "Task_HousingFund"}


@pytest.fixture
def startup_intake() -> dict:
    return load_intake("company_startup")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("company_startup", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_registration_granted_then_block_items_then_delivery(runtime, startup_intake):
    walk = start(runtime, startup_intake)
    assert walk.last.status == "running"
    data = walk.data()
    assert data["permits"] == ["registration", "seal", "tax", "social_insurance", "housing_fund"]
    assert set(data["materials"]) == {"id_card", "authorisation_letter", "lease_contract", "articles_of_association"}
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    assert walk.open_tasks() == SETUP_PARALLEL
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_Seal": "GA", "Task_Tax": "SW", "Task_SocialInsurance": "RS", "Task_HousingFund": "GJJ"}
    for task in sorted(SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved" and data["has_company"] is True and data["uscc"]
    assert any(r["permit"] == "registration" for r in data["results"])


def test_registration_correction_is_served_inside_the_block(runtime, startup_intake):
    walk = start(runtime, startup_intake, entity_type="partnership", has_agent=False, property_type="owned",
                 property_cert_no="鄂(2021)武汉市江汉不动产权第0012345号")
    assert set(walk.data()["materials"]) == {"id_card", "property_certificate", "partnership_agreement"}
    walk.complete("Task_Registration", decision="correct", reason="合伙协议缺少全体合伙人签字")
    assert walk.open_tasks() == {"Task_RegistrationCorrection"}
    walk.complete("Task_RegistrationCorrection", complete=True)
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(SETUP_PARALLEL):
        walk.complete(task)
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_registration_refused_ends_rejected(runtime, startup_intake):
    walk = start(runtime, startup_intake, key_project=True, key_project_list_id="JH-2025-ZD-017", project_manager="周敏")
    walk.complete("Task_Registration", decision="reject", reason="名称与已登记企业相同")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.data()["outcome"] == "rejected"
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "company_startup", 25, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
