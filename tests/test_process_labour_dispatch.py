"""开办劳务派遣公司 walked through every gateway outcome, through the real
runtime and database, restoring the case from the database before every step."""
from __future__ import annotations

import pytest

from engine.runtime.errors import InvalidData
from engine.simulation.runner import simulate
from tests.walk import COMPANY_SETUP_PARALLEL, SIM_START, Walker, load_intake, serve_correction

USCC = "91420103MA4KXXXX0Q"


@pytest.fixture
def dispatch_intake() -> dict:
    return load_intake("labour_dispatch")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("labour_dispatch", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


@pytest.mark.parametrize("field", ["registered_capital", "paid_in_capital"])
def test_capital_under_two_million_is_refused_at_intake(runtime, dispatch_intake, field):
    with pytest.raises(InvalidData) as caught:
        runtime.start_case("labour_dispatch", {**dispatch_intake, field: 150}, "clerk")
    assert field in caught.value.errors


def test_new_company_licence_with_site_check_and_filing(runtime, dispatch_intake):
    walk = start(runtime, dispatch_intake)
    data = walk.data()
    assert data["permits"] == ["dispatch", "hr_filing"]
    assert {"capital_verification", "dispatch_rules", "hr_filing_form"} <= set(data["materials"])
    walk.complete("Task_Registration", decision="approve")
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)
    assert walk.open_tasks() == {"Task_DispatchReview", "Task_HrFiling"}
    walk.complete("Task_DispatchReview", decision="approve", site_check="on_site")
    walk.complete("Task_HrFiling", decision="approve")
    walk.complete("Task_OnsiteInspection:dispatch", decision="approve", mode="on_site", licence_no="420103202500011")
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    assert {"permit": "dispatch", "licence_no": "420103202500011"} in walk.data()["results"]


def test_existing_company_dispatch_only_decided_on_the_documents(runtime, dispatch_intake):
    walk = start(runtime, dispatch_intake, has_company=True, uscc=USCC, hr_services=[])
    assert walk.data()["permits"] == ["dispatch"]
    walk.complete("Task_DispatchReview", decision="approve", site_check="none", licence_no="420103202500012")
    assert walk.open_tasks() == {"Task_Delivery"}


def test_video_check_when_the_applicant_consented(runtime, dispatch_intake):
    walk = start(runtime, dispatch_intake, has_company=True, uscc=USCC, hr_services=[], remote_inspection=True,
                 appointment_at="2025-03-12T09:30:00+08:00")
    walk.complete("Task_DispatchReview", decision="approve", site_check="video")
    assert walk.open_tasks() == {"Task_VideoBooking:dispatch"}


def test_correction_reruns_only_the_licence(runtime, dispatch_intake):
    walk = start(runtime, dispatch_intake, has_company=True, uscc=USCC)
    walk.complete("Task_HrFiling", decision="approve")
    walk.complete("Task_DispatchReview", decision="approve", site_check="on_site")
    walk.complete("Task_OnsiteInspection:dispatch", decision="correct", mode="on_site", reason="劳务派遣管理制度不全")
    serve_correction(walk)
    assert walk.open_tasks() == {"Task_DispatchReview"}
    walk.complete("Task_DispatchReview", decision="reject", reason="实缴资本与验资报告不符")
    assert walk.open_tasks() == {"Task_RejectionNotice"}
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "labour_dispatch", 50, seed=1, start=SIM_START)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
