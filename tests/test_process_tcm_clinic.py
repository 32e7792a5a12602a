"""开办中医诊所 walked through every gateway outcome, through the real runtime
and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, start as walk_start

EXISTING = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}


@pytest.fixture
def tcm_intake() -> dict:
    return load_intake("tcm_clinic")


def deliver(walk):
    assert walk.open_tasks() == {"Task_Delivery"}
    walk.complete("Task_Delivery", method="window")
    assert [(walk.label(i), i.department_code) for i in walk.open_items()] == [("Task_CommitmentCheck:tcm_filing", "WJ")]


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="tcm_clinic", **changes)


def test_new_company_with_sign_filed_then_post_check_passes(runtime, tcm_intake):
    walk = start(runtime, tcm_intake)
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert {walk.label(i): i.department_code for i in walk.open_items()} == {
        "Task_TcmFiling": "WJ", "Task_Env": "HB", "Task_Sign": "CG"}
    walk.complete("Task_TcmFiling", decision="approve", licence_no="鄂中医备2025-0101", post_check_due="2025-08-01")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_Sign", decision="approve")
    deliver(walk)
    # The record was handed over before the post-check.
    assert {"permit": "tcm_filing", "licence_no": "鄂中医备2025-0101"} in walk.data()["results"]
    result = walk.complete("Task_CommitmentCheck:tcm_filing", check_result="pass")
    assert result.status == "completed"
    assert walk.data()["approvals"]["tcm_filing"]["decision"] == "approve"


def test_no_sign_and_post_check_revokes(runtime, tcm_intake):
    walk = start(runtime, tcm_intake, **EXISTING, has_sign=False)
    assert walk.open_tasks() == {"Task_TcmFiling", "Task_Env"}
    walk.complete("Task_TcmFiling", decision="approve")
    walk.complete("Task_Env", decision="approve")
    deliver(walk)
    walk.complete("Task_CommitmentCheck:tcm_filing", check_result="rectify", reason="中药饮片储存不符合要求")
    walk.complete("Task_CommitmentCheck:tcm_filing", check_result="revoke", reason="逾期未整改")
    result = walk.complete("Task_Revocation:tcm_filing", credit_record_no="XY2025007")
    assert result.status == "completed"
    assert walk.data()["approvals"]["tcm_filing"]["decision"] == "revoked"


def test_correction_round_then_rejection(runtime, tcm_intake):
    walk = start(runtime, tcm_intake, **EXISTING)
    walk.complete("Task_TcmFiling", decision="correct", reason="缺少医师执业证书")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_Sign", decision="approve")
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_TcmFiling"}
    walk.complete("Task_TcmFiling", decision="reject", reason="主要负责人不具备中医类别医师资格")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, tcm_intake):
    walk = start(runtime, tcm_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称不符合规定")
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow(runtime):
    report = simulate(runtime, "tcm_clinic", 50, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
