"""开办培训机构（非学科） walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step.
学科类 training for school pupils is refused at intake (2021). The licence
(JY for culture and education, RS for vocational skills) ⇢ 民非登记 (or
company set-up) ⇢ prepaid-fee filing is one sequential chain (先证后照);
the fire inspection runs beside it above the area threshold."""
from __future__ import annotations

import pytest

from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, Walker, load_intake, start as walk_start

FIRE = "Task_OnsiteInspection:fire"
EDU = "Task_OnsiteInspection:education_licence"
VOC = "Task_OnsiteInspection:vocational_licence"


@pytest.fixture
def intake() -> dict:
    return load_intake("training_institution")


def start(runtime, intake, **changes) -> Walker:
    return walk_start(runtime, intake, scenario="training_institution", **changes)


def test_subject_training_for_pupils_is_not_accepted(runtime, intake):
    walk = start(runtime, intake, training_type="subject_k12")
    assert walk.open_tasks() == {"Task_NotAcceptedNotice"}
    data = walk.data()
    assert "permits" not in data
    assert data["outcome"] == "rejected"
    assert data["rejections"][0]["permit"] == "subject_training"
    assert "学科类" in data["rejections"][0]["reason"]
    result = walk.complete("Task_NotAcceptedNotice", method="window", redirect_informed=True)
    assert result.status == "rejected"
    assert walk.open_tasks() == set()


def test_non_subject_non_profit_with_prepaid_all_approved(runtime, intake):
    walk = start(runtime, intake)
    departments = {walk.label(i): i.department_code for i in walk.open_items()}
    assert departments == {EDU: "JY", FIRE: "XF"}
    data = walk.data()
    assert data["permits"] == ["education_licence", "npo_registration", "fire", "prepaid"]
    assert {"school_application", "training_programme", "npo_articles", "fire_plans", "fund_custody_agreement",
            "lease_contract", "authorisation_letter"} <= set(data["materials"])
    assert "vocational_programme" not in data["materials"]
    walk.complete(EDU, decision="approve", mode="on_site", licence_no="教民142010370002号")
    # registration only after the licence (先证后照)
    assert {(walk.label(i), i.department_code) for i in walk.open_items()} == {("Task_NpoRegistration", "MZ"), (FIRE, "XF")}
    walk.complete("Task_NpoRegistration", decision="approve", licence_no="鄂江民证字第2025007号")
    # the prepaid-fee filing only after the registration
    assert {(walk.label(i), i.department_code) for i in walk.open_items()} == {("Task_PrepaidFiling", "SJ"), (FIRE, "XF")}
    walk.complete("Task_PrepaidFiling", decision="approve", licence_no="江预备〔2025〕15号")
    walk.complete(FIRE, decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_Delivery"}
    result = walk.complete("Task_Delivery", method="window")
    assert result.status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {"permit": "education_licence", "licence_no": "教民142010370002号"} in data["results"]
    assert data["approvals"]["prepaid"]["department"] == "SJ"
    assert data["approvals"]["npo_registration"]["department"] == "MZ"


def test_vocational_for_profit_small_without_prepaid_goes_to_rs_then_company_setup(runtime, intake):
    walk = start(runtime, intake, training_type="vocational", organizer_form="for_profit", entity_type="llc",
                 area_m2=45, has_prepaid_fees=False, trainee_groups=["adults"])
    assert {(walk.label(i), i.department_code) for i in walk.open_items()} == {(VOC, "RS")}
    data = walk.data()
    assert data["permits"] == ["vocational_licence", "registration"]
    assert "vocational_programme" in data["materials"] and "training_programme" not in data["materials"]
    walk.complete(VOC, decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    assert walk.open_tasks() == COMPANY_SETUP_PARALLEL
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["has_company"] is True and data["uscc"]
    assert data["approvals"]["vocational_licence"]["department"] == "RS"


def test_for_profit_with_prepaid_files_after_company_setup(runtime, intake):
    walk = start(runtime, intake, organizer_form="for_profit", entity_type="llc", area_m2=40)
    walk.complete(EDU, decision="approve", mode="on_site")
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_PrepaidFiling"}
    walk.complete("Task_PrepaidFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_licence_correction_lists_the_waiting_registration_and_filing(runtime, intake):
    walk = start(runtime, intake)
    walk.complete(EDU, decision="correct", mode="on_site", reason="教室采光与疏散通道不符合设置标准")
    walk.complete(FIRE, decision="approve", mode="on_site")
    data = walk.data()
    assert data["outcome"] == "correction"
    assert {c["permit"] for c in data["corrections"]} == {"education_licence", "npo_registration", "prepaid"}
    assert set(data["pending"]) == {"npo_registration", "prepaid"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    # the approved fire inspection is not repeated
    assert walk.open_tasks() == {EDU}
    walk.complete(EDU, decision="approve", mode="on_site")
    walk.complete("Task_NpoRegistration", decision="approve")
    walk.complete("Task_PrepaidFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_filing_correction_skips_the_approved_licence_and_registration(runtime, intake):
    walk = start(runtime, intake, area_m2=30)
    walk.complete(EDU, decision="approve", mode="on_site")
    walk.complete("Task_NpoRegistration", decision="approve")
    walk.complete("Task_PrepaidFiling", decision="correct", reason="缺少资金监管协议")
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_PrepaidFiling"}
    walk.complete("Task_PrepaidFiling", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_registration_correction_skips_the_approved_licence(runtime, intake):
    walk = start(runtime, intake, area_m2=30, has_prepaid_fees=False)
    walk.complete(EDU, decision="approve", mode="on_site")
    walk.complete("Task_NpoRegistration", decision="correct", reason="章程缺少终止条款")
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_NpoRegistration"}
    walk.complete("Task_NpoRegistration", decision="approve")
    assert walk.complete("Task_Delivery", method="window").status == "completed"


def test_licence_refused_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, training_type="vocational")
    walk.complete(VOC, decision="reject", mode="on_site", reason="实训场地不符合设置标准")
    walk.complete(FIRE, decision="approve", mode="on_site")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_company_registration_refused_ends_the_case_rejected(runtime, intake):
    walk = start(runtime, intake, organizer_form="for_profit", entity_type="llc", area_m2=30)
    walk.complete(EDU, decision="approve", mode="on_site")
    walk.complete("Task_Registration", decision="reject", reason="名称不符合规定")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_covers_every_flow(runtime):
    report = simulate(runtime, "training_institution", 80, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
