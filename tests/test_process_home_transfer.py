"""二手房转移登记＋水电气过户 walked through every gateway outcome, through the
real runtime and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import Walker, load_intake, serve_correction

UTILITIES = {"Task_Water", "Task_Power", "Task_Gas", "Task_Broadband"}


@pytest.fixture
def home_intake() -> dict:
    return load_intake("home_transfer")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("home_transfer", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_chain_then_mortgage_then_utilities_in_parallel(runtime, home_intake):
    walk = start(runtime, home_intake)
    assert walk.case().applicant_name == "李明"
    data = walk.data()
    assert data["permits"] == ["contract_filing", "tax", "transfer", "mortgage", "water", "power", "gas", "broadband"]
    assert {"household_register", "loan_contract"} <= set(data["materials"])
    for task, dept in (("Task_ContractFiling", "FG"), ("Task_Tax", "SW"), ("Task_Transfer", "ZG"), ("Task_Mortgage", "ZG")):
        assert walk.open_tasks() == {task}
        assert walk.item(task).department_code == dept
        walk.complete(task, decision="approve")
    assert walk.open_tasks() == UTILITIES
    assert {i.department_code for i in walk.open_items()} == {"UT"}
    for task in sorted(UTILITIES):
        walk.complete(task, decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    assert walk.data()["outcome"] == "approved"


def test_no_loan_no_utilities_goes_from_transfer_to_delivery(runtime, home_intake):
    walk = start(runtime, home_intake, applicant_type="individual", has_loan=False, transfer_water=False,
                 transfer_power=False, transfer_gas=False, transfer_broadband=False)
    assert walk.data()["permits"] == ["contract_filing", "tax", "transfer"]
    for task in ("Task_ContractFiling", "Task_Tax", "Task_Transfer"):
        walk.complete(task, decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}


def test_tax_correction_reruns_from_the_tax_step(runtime, home_intake):
    walk = start(runtime, home_intake, has_loan=False, transfer_broadband=False)
    walk.complete("Task_ContractFiling", decision="approve")
    walk.complete("Task_Tax", decision="correct", reason="网签价格低于计税参考价，需补充说明")
    data = walk.data()
    assert data["outcome"] == "correction" and "transfer" in data["pending"]
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_Tax"}  # the filing is not asked again
    walk.complete("Task_Tax", decision="approve")
    walk.complete("Task_Transfer", decision="approve")
    assert walk.open_tasks() == {"Task_Water", "Task_Power", "Task_Gas"}


def test_mortgage_and_utility_corrections_skip_the_approved_steps(runtime, home_intake):
    walk = start(runtime, home_intake, transfer_broadband=False)
    for task in ("Task_ContractFiling", "Task_Tax", "Task_Transfer"):
        walk.complete(task, decision="approve")
    walk.complete("Task_Mortgage", decision="correct", reason="抵押合同缺少共有人签字")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_Mortgage"}
    walk.complete("Task_Mortgage", decision="approve")
    walk.complete("Task_Water", decision="approve")
    walk.complete("Task_Power", decision="correct", reason="供电户号与地址不符")
    walk.complete("Task_Gas", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_Power"}
    walk.complete("Task_Power", decision="approve")
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


@pytest.mark.parametrize("task", ["Task_ContractFiling", "Task_Transfer"])
def test_refusal_ends_the_case_rejected(runtime, home_intake, task):
    walk = start(runtime, home_intake)
    for earlier in ("Task_ContractFiling", "Task_Tax"):
        if earlier == task:
            break
        walk.complete(earlier, decision="approve")
    walk.complete(task, decision="reject", reason="房屋已被查封")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "home_transfer", 60, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
