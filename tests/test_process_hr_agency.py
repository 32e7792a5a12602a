"""开办人力资源服务机构 walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step."""
from __future__ import annotations

from datetime import datetime

import pytest

from engine.runtime.errors import InvalidData
from engine.simulation.runner import simulate
from engine.workcalendar import BEIJING
from tests.walk import COMPANY_SETUP_PARALLEL, SIM_START, Walker, load_intake, on_clock, serve_correction

USCC = "91420103MA4KXXXX0Q"
CHECKLIST = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")


@pytest.fixture
def hr_intake() -> dict:
    return load_intake("hr_agency")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("hr_agency", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


def test_new_company_licence_with_on_site_check_and_filing(runtime, hr_intake):
    walk = start(runtime, hr_intake)
    data = walk.data()
    assert data["permits"] == ["hr_licence", "hr_filing"]
    assert {"hr_licence_application", "hr_filing_form"} <= set(data["materials"])
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_HrLicenceReview", "Task_HrFiling"}
    assert {i.department_code for i in walk.open_items()} == {"RS"}
    walk.complete("Task_HrFiling", decision="approve", licence_no="RSBA-2025-001")
    walk.complete("Task_HrLicenceReview", decision="approve", site_check="on_site")
    assert walk.open_tasks() == {"Task_OnsiteInspection:hr_licence"}
    assert walk.item("Task_OnsiteInspection:hr_licence").department_code == "RS"
    walk.complete("Task_OnsiteInspection:hr_licence", decision="approve", mode="on_site", licence_no="RSXK-2025-007")
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    data = walk.data()
    assert data["outcome"] == "approved"
    assert {"permit": "hr_licence", "licence_no": "RSXK-2025-007"} in data["results"]
    assert {"permit": "hr_filing", "licence_no": "RSBA-2025-001"} in data["results"]


def test_licence_decided_on_the_documents(runtime, hr_intake):
    walk = start(runtime, hr_intake, has_company=True, uscc=USCC, job_placement=True, hr_services=[])
    assert walk.data()["permits"] == ["hr_licence"]
    assert walk.open_tasks() == {"Task_HrLicenceReview"}
    walk.complete("Task_HrLicenceReview", decision="approve", site_check="none", licence_no="RSXK-2025-008")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.complete("Task_Delivery", method="ems").status == "completed"


def test_filing_only_without_job_placement(runtime, hr_intake):
    walk = start(runtime, hr_intake, has_company=True, uscc=USCC, job_placement=False, hr_services=["training", "assessment"])
    assert walk.data()["permits"] == ["hr_filing"]
    assert walk.open_tasks() == {"Task_HrFiling"}
    walk.complete("Task_HrFiling", decision="correct", reason="备案表未加盖公章")
    serve_correction(walk)
    walk.complete("Task_HrFiling", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}


def test_video_check_with_consent_rectify_then_pass(runtime, hr_intake):
    walk = start(on_clock(runtime), hr_intake, has_company=True, uscc=USCC, job_placement=True, hr_services=[],
                 remote_inspection=True, appointment_at="2025-03-12T09:30:00+08:00")
    walk.complete("Task_HrLicenceReview", decision="approve", site_check="video")
    assert walk.open_tasks() == {"Task_VideoBooking:hr_licence"}
    walk.complete("Task_VideoBooking:hr_licence")
    walk.complete("Task_VideoInspection:hr_licence", conclusion="rectify", recording_sha256="0f" * 32,
                  checklist={**CHECKLIST, "records": "rectify"}, rectification_working_days=5)
    assert walk.open_tasks() == set()  # the rectification period runs
    # 5 working days after Monday 2026-03-02: Monday 2026-03-09, at the end of the day.
    assert walk.wait_for_timer() == datetime(2026, 3, 9, 18, 0, tzinfo=BEIJING)
    walk.complete("Task_VideoBooking:hr_licence")
    walk.complete("Task_VideoInspection:hr_licence", conclusion="pass", recording_sha256="1e" * 32,
                  checklist=CHECKLIST, licence_no="RSXK-2025-009")
    assert walk.open_tasks() == {"Task_Delivery"}
    assert walk.data()["approvals"]["hr_licence"]["mode"] == "video"


def test_video_without_consent_falls_back_to_on_site(runtime, hr_intake):
    walk = start(runtime, hr_intake, has_company=True, uscc=USCC, job_placement=True, hr_services=[], remote_inspection=False)
    walk.complete("Task_HrLicenceReview", decision="approve", site_check="video")
    assert walk.open_tasks() == {"Task_OnsiteInspection:hr_licence"}


def test_review_correction_then_inspection_refusal(runtime, hr_intake):
    walk = start(runtime, hr_intake, has_company=True, uscc=USCC)
    walk.complete("Task_HrLicenceReview", decision="correct", reason="缺少专职人员资质证明")
    walk.complete("Task_HrFiling", decision="approve")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_HrLicenceReview"}  # the filing was done: not asked again
    walk.complete("Task_HrLicenceReview", decision="approve", site_check="on_site")
    walk.complete("Task_OnsiteInspection:hr_licence", decision="reject", mode="on_site", reason="无固定服务场所")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_registration_refused_ends_the_case(runtime, hr_intake):
    walk = start(runtime, hr_intake)
    walk.complete("Task_Registration", decision="reject", reason="名称不符合规定")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_nothing_to_license_or_file_is_refused_at_intake(runtime, hr_intake):
    with pytest.raises(InvalidData) as caught:
        runtime.start_case("hr_agency", {**hr_intake, "job_placement": False, "hr_services": []}, "clerk")
    assert "hr_services" in caught.value.errors


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "hr_agency", 50, seed=1, start=SIM_START)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
