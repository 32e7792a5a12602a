"""不动产抵押权注销登记: an instant ZG item promised within one working hour,
walked through every gateway outcome through the real runtime and database."""
from __future__ import annotations

import json
from datetime import datetime, timedelta, timezone

import pytest

from engine.runtime.projections import due_after
from engine.simulation.runner import simulate
from tests.conftest import DATA
from tests.walk import Walker, load_intake


@pytest.fixture
def cancellation_intake() -> dict:
    return load_intake("mortgage_cancellation")


def start(runtime, intake, **changes) -> Walker:
    result = runtime.start_case("mortgage_cancellation", {**intake, **changes}, "clerk")
    runtime.workflows.clear()
    walker = Walker(runtime, result.case_id)
    walker.last = result
    return walker


BEIJING = timezone(timedelta(hours=8))


def test_the_promise_is_one_working_hour():
    """metadata 0.125 working days = 1 of 8 working hours, on the working-day calendar."""
    meta = json.loads((DATA.parent.parent / "processes/mortgage_cancellation/metadata.json").read_text(encoding="utf-8"))
    assert meta["promised_working_days"] == 0.125
    assert [a["legal_limit_working_days"] for a in meta["approvals"]] == [0.125]
    monday_9 = datetime(2025, 3, 10, 9, 0, tzinfo=BEIJING)
    assert due_after(monday_9, 0.125) == monday_9 + timedelta(hours=1)
    friday_late = datetime(2025, 3, 14, 17, 30, tzinfo=BEIJING)  # after hours: the hour runs on Monday morning
    assert due_after(friday_late, 0.125) == datetime(2025, 3, 17, 9, 30, tzinfo=BEIJING)


def test_instant_cancellation_at_zg_then_delivery(runtime, cancellation_intake):
    walk = start(runtime, cancellation_intake)
    assert walk.case().applicant_name == "张伟"
    data = walk.data()
    assert data["permits"] == ["cancellation"]
    assert set(data["materials"]) == {"id_card", "registration_certificate", "discharge_proof"}
    assert walk.open_tasks() == {"Task_Cancellation"}
    item = walk.item("Task_Cancellation")
    assert item.department_code == "ZG"
    walk.complete("Task_Cancellation", decision="approve", licence_no="ZX-2025-000123")
    assert walk.complete("Task_Delivery", method="window").status == "completed"
    assert {"permit": "cancellation", "licence_no": "ZX-2025-000123"} in walk.data()["results"]


def test_bank_filing_needs_the_bank_papers_and_a_correction_loops_back(runtime, cancellation_intake):
    walk = start(runtime, cancellation_intake, filed_by="bank", has_agent=True, agent_name="刘洋",
                 agent_id_no="420102199503022023", agent_mobile="15927654321")
    assert {"bank_authorisation", "authorisation_letter"} <= set(walk.data()["materials"])
    walk.complete("Task_Cancellation", decision="correct", reason="缺少主债权消灭证明")
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    assert walk.open_tasks() == {"Task_Cancellation"}
    walk.complete("Task_Cancellation", decision="approve")
    assert walk.open_tasks() == {"Task_Delivery"}


def test_refusal_ends_the_case_rejected(runtime, cancellation_intake):
    walk = start(runtime, cancellation_intake)
    walk.complete("Task_Cancellation", decision="reject", reason="房屋已被查封")
    assert walk.complete("Task_RejectionNotice", method="window").status == "rejected"


def test_simulation_takes_every_flow(runtime):
    report = simulate(runtime, "mortgage_cancellation", 60, seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
