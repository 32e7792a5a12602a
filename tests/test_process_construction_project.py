"""工程建设项目审批 walked through every path, through the real runtime and
database, restoring the case from the database before every step: the
承诺可开工 path (post-check passed, and revoked), the four stage
sub-processes for each investment type, 带方案出让, the small-project merge
of stages 2 and 3, a correction asked by the joint drawing review, a
rejection; then simulated with random decisions."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import Walker, load_intake, serve_correction

KEY = "construction_project"
STAGE1_COMMON = {"Task_SiteSelection", "Task_EIA"}
FGW_TASK = {"government": "Task_ProjectApproval", "enterprise_ratification": "Task_ProjectRatification",
            "enterprise_filing": "Task_ProjectFiling", "small_low_risk": "Task_ProjectFiling"}


@pytest.fixture
def project() -> dict:
    return load_intake("construction_project")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case(KEY, {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def departments(walk) -> dict:
    return {walk.label(i): i.department_code for i in walk.open_items()}


def approve_all(walk, expected: set[str]):
    assert walk.open_tasks() == expected
    for task in sorted(expected):
        walk.complete(task, decision="approve")


def stage1(walk, investment_type):
    tasks = STAGE1_COMMON | {FGW_TASK[investment_type]}
    assert departments(walk) == {FGW_TASK[investment_type]: "FGW", "Task_SiteSelection": "ZG", "Task_EIA": "HB"}
    approve_all(walk, tasks)


def stage4(walk, civil_air_defence=True):
    walk.complete("Task_CompletionApplication")
    acceptance = {"Task_AccPlanning": "ZG", "Task_AccFire": "ZJ", "Task_AccArchive": "ZJ"}
    if civil_air_defence:
        acceptance["Task_AccRf"] = "RF"
    assert departments(walk) == acceptance
    approve_all(walk, set(acceptance))
    assert departments(walk) == {"Task_CompletionFiling": "ZJ"}
    walk.complete("Task_CompletionFiling", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"


# ------------------------------------------------------------- 承诺可开工

def commitment_until_delivery(walk):
    assert departments(walk) == {"Task_RequirementList": "ZJ"}
    walk.complete("Task_RequirementList", licence_no="GGB-2024-031")
    walk.complete("Task_CommitmentSigning")
    walk.complete("Task_Fees")
    assert departments(walk) == {"Task_IssueProperty": "ZG", "Task_IssuePlanning": "ZG", "Task_IssueConstruction": "ZJ"}
    walk.complete("Task_IssueProperty", licence_no="鄂(2024)武汉市江汉不动产权第0012345号")
    walk.complete("Task_IssuePlanning", licence_no="建字第420103202400031号")
    walk.complete("Task_IssueConstruction", licence_no="420103202405310101")
    assert walk.open_tasks() == {"Task_Delivery"}
    walk.complete("Task_Delivery", method="window")
    results = {r["permit"] for r in walk.data()["results"]}
    assert results == {"requirement_list", "property_cert", "planning_permit", "construction_permit"}


def test_commitment_path_issues_every_certificate_together_then_passes_the_post_check(runtime, project):
    walk = start(runtime, project, key_project=True, key_project_list_id="JH-ZD-2024-017", commitment_start=True)
    data = walk.data()
    assert data["commitment_path"] is True
    assert data["permits"] == ["requirement_list", "property_cert", "planning_permit", "construction_permit"]
    assert "commitment_letter" in data["materials"]
    commitment_until_delivery(walk)
    assert departments(walk) == {"Task_CommitmentCheck:construction_permit": "ZJ"}
    walk.complete("Task_CommitmentCheck:construction_permit", check_result="rectify")
    result = walk.complete("Task_CommitmentCheck:construction_permit", check_result="pass")
    assert result.status == "completed"
    assert walk.data()["approvals"]["construction_permit"]["decision"] == "approve"


def test_commitment_path_revoked_after_a_false_commitment(runtime, project):
    walk = start(runtime, project, key_project=True, key_project_list_id="JH-ZD-2024-017", commitment_start=True)
    commitment_until_delivery(walk)
    walk.complete("Task_CommitmentCheck:construction_permit", check_result="revoke", reason="未按承诺落实人防工程")
    assert departments(walk) == {"Task_Revocation:construction_permit": "ZJ"}
    result = walk.complete("Task_Revocation:construction_permit")
    assert result.status == "completed"
    data = walk.data()
    assert data["approvals"]["construction_permit"]["decision"] == "revoked"
    assert data["approvals"]["construction_permit"]["credit_record_no"]


@pytest.mark.parametrize("changes", [dict(key_project=True, key_project_list_id="JH-ZD-2024-017", commitment_start=False),
                                     dict(key_project=False, commitment_start=True)])
def test_commitment_needs_both_the_list_and_the_opt_in(runtime, project, changes):
    walk = start(runtime, project, **changes)
    assert walk.data()["commitment_path"] is False
    assert walk.open_tasks() == STAGE1_COMMON | {"Task_ProjectFiling"}


# ------------------------------------------------------------- four stages

@pytest.mark.parametrize("investment_type", ["government", "enterprise_ratification", "enterprise_filing"])
def test_four_stages_for_each_investment_type(runtime, project, investment_type):
    walk = start(runtime, project, investment_type=investment_type, investor_type="government", total_investment_10k=18500)
    assert walk.data()["permits"][0] == {"government": "project_approval", "enterprise_ratification": "project_ratification",
                                         "enterprise_filing": "project_filing"}[investment_type]
    stage1(walk, investment_type)
    # stage 2: design review before the planning permit; civil air defence in parallel
    assert departments(walk) == {"Task_DesignReview": "ZG", "Task_RfApproval": "RF"}
    walk.complete("Task_DesignReview", decision="approve")
    assert walk.open_tasks() == {"Task_PlanningPermit", "Task_RfApproval"}
    walk.complete("Task_PlanningPermit", decision="approve")
    walk.complete("Task_RfApproval", decision="approve")
    # stage 3: joint drawing review, one task per department concerned, then the permit
    assert departments(walk) == {"Task_ReviewStructure": "ZJ", "Task_ReviewFire": "ZJ", "Task_ReviewRf": "RF"}
    approve_all(walk, {"Task_ReviewStructure", "Task_ReviewFire", "Task_ReviewRf"})
    assert departments(walk) == {"Task_ConstructionPermit": "ZJ"}
    walk.complete("Task_ConstructionPermit", decision="approve", licence_no="420103202405310101")
    assert walk.open_tasks() == {"Task_Delivery"}
    walk.complete("Task_Delivery", method="ems")
    assert walk.open_tasks() == {"Task_CompletionApplication"}
    stage4(walk)
    data = walk.data()
    assert data["outcome"] == "approved"
    assert [s["stage"] for s in data["stage_history"]] == ["s1", "s2", "s3", "s4"]
    assert {r["permit"] for r in data["results"]} >= {"planning_permit", "construction_permit", "completion_filing"}


def test_land_sold_with_a_design_skips_the_design_review(runtime, project):
    walk = start(runtime, project, land_with_design=True, civil_air_defence=False)
    assert "design_review" not in walk.data()["permits"]
    stage1(walk, "enterprise_filing")
    assert departments(walk) == {"Task_PlanningPermit": "ZG"}
    walk.complete("Task_PlanningPermit", decision="approve")
    approve_all(walk, {"Task_ReviewStructure", "Task_ReviewFire"})
    walk.complete("Task_ConstructionPermit", decision="approve")
    walk.complete("Task_Delivery", method="window")
    stage4(walk, civil_air_defence=False)


def test_small_low_risk_project_merges_stages_two_and_three(runtime, project):
    walk = start(runtime, project, investment_type="small_low_risk", civil_air_defence=False, tech_defence_required=True,
                 floor_area_m2=1800, building_height_m=12)
    permits = walk.data()["permits"]
    assert "design_review" not in permits and "rf_approval" not in permits
    stage1(walk, "small_low_risk")
    # no stage 2: the planning permit comes with the joint review
    assert departments(walk) == {"Task_PlanningPermitMerged": "ZG", "Task_ReviewStructure": "ZJ",
                                 "Task_ReviewFire": "ZJ", "Task_ReviewTech": "GA"}
    approve_all(walk, {"Task_PlanningPermitMerged", "Task_ReviewStructure", "Task_ReviewFire", "Task_ReviewTech"})
    walk.complete("Task_ConstructionPermit", decision="approve")
    walk.complete("Task_Delivery", method="window")
    data = walk.data()
    assert [s["stage"] for s in data["stage_history"]] == ["s1", "s3"]
    stage4(walk, civil_air_defence=False)


# ------------------------------------------------------------- correction, rejection

def test_joint_review_asks_for_correction_and_only_that_department_reviews_again(runtime, project):
    walk = start(runtime, project, land_with_design=True)
    stage1(walk, "enterprise_filing")
    approve_all(walk, {"Task_PlanningPermit", "Task_RfApproval"})
    walk.complete("Task_ReviewStructure", decision="approve")
    walk.complete("Task_ReviewFire", decision="correct", reason="疏散楼梯宽度不足")
    walk.complete("Task_ReviewRf", decision="approve")
    data = walk.data()
    assert data["stage_outcome"] == "correction" and data["stage"] == "s3"
    assert data["joint_review"] == {"review_structure": "approve", "review_fire": "correct", "review_rf": "approve"}
    assert {c["permit"] for c in data["corrections"]} == {"review_fire", "construction_permit"}
    serve_correction(walk)
    assert departments(walk) == {"Task_ReviewFire": "ZJ"}
    walk.complete("Task_ReviewFire", decision="approve")
    walk.complete("Task_ConstructionPermit", decision="correct", reason="缺少建设资金落实承诺书")
    serve_correction(walk)
    # only the permit is pending: the split takes its default straight to the join
    assert walk.open_tasks() == {"Task_ConstructionPermit"}
    walk.complete("Task_ConstructionPermit", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.data()["correction_round"] == 2


def test_stage_one_correction_then_acceptance_correction(runtime, project):
    walk = start(runtime, project, investment_type="small_low_risk", civil_air_defence=False)
    walk.complete("Task_ProjectFiling", decision="approve")
    walk.complete("Task_SiteSelection", decision="correct", reason="红线图坐标缺失")
    walk.complete("Task_EIA", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_SiteSelection"}
    walk.complete("Task_SiteSelection", decision="approve")
    approve_all(walk, {"Task_PlanningPermitMerged", "Task_ReviewStructure", "Task_ReviewFire"})
    walk.complete("Task_ConstructionPermit", decision="approve")
    walk.complete("Task_Delivery", method="window")
    walk.complete("Task_CompletionApplication")
    walk.complete("Task_AccPlanning", decision="approve")
    walk.complete("Task_AccFire", decision="correct", reason="消防设施联动测试未通过")
    walk.complete("Task_AccArchive", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_AccFire"}
    walk.complete("Task_AccFire", decision="approve")
    walk.complete("Task_CompletionFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_design_review_correction_holds_the_planning_permit(runtime, project):
    walk = start(runtime, project, civil_air_defence=False)
    stage1(walk, "enterprise_filing")
    walk.complete("Task_DesignReview", decision="correct", reason="容积率超出规划条件")
    data = walk.data()
    assert data["stage"] == "s2"
    assert {c["permit"] for c in data["corrections"]} == {"design_review", "planning_permit"}
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_DesignReview"}


def test_rejection_in_a_stage_ends_the_case_rejected(runtime, project):
    walk = start(runtime, project, investment_type="government", investor_type="government")
    walk.complete("Task_ProjectApproval", decision="reject", reason="不符合国土空间规划")
    walk.complete("Task_SiteSelection", decision="approve")
    walk.complete("Task_EIA", decision="approve")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    result = walk.complete("Task_RejectionNotice", method="window")
    assert result.status == "rejected"
    assert walk.data()["rejections"] == [{"permit": "project_approval", "reason": "不符合国土空间规划"}]


# ------------------------------------------------------------- simulation

def test_simulation_takes_every_flow_and_strands_nothing(runtime):
    report = simulate(runtime, KEY, 100, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
