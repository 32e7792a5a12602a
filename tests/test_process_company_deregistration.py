"""企业注销 walked through every gateway outcome, through the real runtime and
database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import Walker, load_intake, serve_correction

CLOSURES = {"Task_SocialInsuranceCancel", "Task_HousingFundCancel", "Task_SealCancel"}


@pytest.fixture
def dereg_intake() -> dict:
    return load_intake("company_deregistration")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("company_deregistration", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_simplified_procedure_then_closures_in_parallel(runtime, dereg_intake):
    walk = start(runtime, dereg_intake)
    data = walk.data()
    assert data["procedure"] == "simple"
    assert data["permits"] == ["tax_clearance", "deregistration", "social_insurance_cancel", "housing_fund_cancel", "seal_cancel"]
    assert "investors_commitment" in data["materials"] and "liquidation_report" not in data["materials"]
    assert walk.open_tasks() == {"Task_TaxClearance"}
    assert walk.item("Task_TaxClearance").department_code == "SW"
    walk.complete("Task_TaxClearance", decision="approve")
    assert walk.open_tasks() == {"Task_SimpleNotice"}
    walk.complete("Task_SimpleNotice", objection=False)
    walk.complete("Task_Deregistration", decision="approve")
    assert walk.open_tasks() == CLOSURES
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_SocialInsuranceCancel": "RS", "Task_HousingFundCancel": "GJJ", "Task_SealCancel": "GA"}
    for task in sorted(CLOSURES):
        walk.complete(task, decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {r["permit"] for r in data["results"]} == {"tax_clearance", "deregistration", "social_insurance_cancel",
                                                        "housing_fund_cancel", "seal_cancel"}


def test_general_procedure_without_closures(runtime, dereg_intake):
    walk = start(runtime, dereg_intake, debt_status="unsettled", has_social_insurance=False,
                 has_housing_fund=False, has_seal_filing=False, has_agent=True, agent_name="刘洋",
                 agent_id_no="420102199503022023", agent_mobile="15927651234")
    data = walk.data()
    assert data["procedure"] == "general" and data["permits"] == ["tax_clearance", "deregistration"]
    assert {"liquidation_report", "dissolution_resolution", "authorisation_letter"} <= set(data["materials"])
    walk.complete("Task_TaxClearance", decision="approve")
    assert walk.open_tasks() == {"Task_LiquidationFiling"}
    walk.complete("Task_LiquidationFiling")
    walk.complete("Task_Deregistration", decision="approve")
    # nothing to close: the inclusive split takes its default straight to the join
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


@pytest.mark.parametrize("answers", [dict(all_investors_commit=False), dict(simple_barred=True),
                                     dict(debt_status="unsettled", all_investors_commit=True)])
def test_every_bar_to_the_simplified_procedure_gives_the_general_one(runtime, dereg_intake, answers):
    walk = start(runtime, dereg_intake, **answers)
    assert walk.data()["procedure"] == "general"


def test_objection_to_the_simplified_notice_turns_to_the_general_procedure(runtime, dereg_intake):
    walk = start(runtime, dereg_intake)
    walk.complete("Task_TaxClearance", decision="approve")
    walk.complete("Task_SimpleNotice", objection=True, objection_detail="债权人武汉某供应链公司提出异议")
    assert walk.open_tasks() == {"Task_LiquidationFiling"}
    walk.complete("Task_LiquidationFiling")
    assert walk.open_tasks() == {"Task_Deregistration"}


def test_tax_correction_round_then_the_chain_goes_on(runtime, dereg_intake):
    walk = start(runtime, dereg_intake)
    walk.complete("Task_TaxClearance", decision="correct", reason="2024年第四季度增值税未申报")
    assert walk.data()["outcome"] == "correction"
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_TaxClearance"}
    walk.complete("Task_TaxClearance", decision="approve")
    assert walk.open_tasks() == {"Task_SimpleNotice"}


def test_deregistration_correction_skips_the_approved_tax_and_the_published_notice(runtime, dereg_intake):
    walk = start(runtime, dereg_intake)
    walk.complete("Task_TaxClearance", decision="approve")
    walk.complete("Task_SimpleNotice", objection=False)
    walk.complete("Task_Deregistration", decision="correct", reason="营业执照副本未缴回")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_Deregistration"}
    walk.complete("Task_Deregistration", decision="approve")
    assert walk.open_tasks() == CLOSURES


def test_closure_correction_reruns_only_that_closure(runtime, dereg_intake):
    walk = start(runtime, dereg_intake)
    walk.complete("Task_TaxClearance", decision="approve")
    walk.complete("Task_SimpleNotice", objection=False)
    walk.complete("Task_Deregistration", decision="approve")
    walk.complete("Task_SocialInsuranceCancel", decision="correct", reason="欠缴2025年1月社保费")
    walk.complete("Task_HousingFundCancel", decision="approve")
    walk.complete("Task_SealCancel", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_SocialInsuranceCancel"}
    walk.complete("Task_SocialInsuranceCancel", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


@pytest.mark.parametrize("task", ["Task_TaxClearance", "Task_Deregistration"])
def test_refusal_ends_the_case_rejected(runtime, dereg_intake, task):
    walk = start(runtime, dereg_intake)
    if task == "Task_Deregistration":
        walk.complete("Task_TaxClearance", decision="approve")
        walk.complete("Task_SimpleNotice", objection=False)
    walk.complete(task, decision="reject", reason="不符合注销条件")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "company_deregistration", 60, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []


def test_no_debts_ever_also_allows_the_simplified_procedure(runtime, dereg_intake):
    assert start(runtime, dereg_intake, debt_status="none").data()["procedure"] == "simple"
