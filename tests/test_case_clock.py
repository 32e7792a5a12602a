"""The case's clock stops while it waits for the applicant's correction
and restarts when the supply is recorded: the promised date moves back by
exactly the working time it stood still, and both moments are on the case."""
from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import select

from engine.runtime.service import Runtime
from engine.runtime.workflow_cache import WorkflowCache
from engine.workcalendar import BEIJING, working_time_between
from models import Case, CaseEvent
from tests.walk import Walker


class Clock:
    def __init__(self, moment: datetime):
        self.moment = moment

    def __call__(self) -> datetime:
        return self.moment


def case_row(db, case_id) -> Case:
    with db.read() as session:
        return session.get(Case, case_id)


def test_correction_stops_the_clock_and_moves_the_promise(db, intake):
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING))  # a Monday
    runtime = Runtime(db, clock=clock, workflow_cache=WorkflowCache())
    started = runtime.start_case("restaurant", {**intake, "has_company": True, "uscc": "91420103MA4KXXXX0Q",
                                                "has_sign": False, "discharge_to_sewer": False}, "clerk")
    walk = Walker(runtime, started.case_id)
    promised = case_row(db, started.case_id).due_at
    assert promised is not None
    clock.moment += timedelta(hours=2)
    walk.complete("Task_FoodReview", decision="correct", reason="缺少食品安全管理制度")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    assert case_row(db, started.case_id).clock_paused_at is None  # the notice is the hall's time
    clock.moment = datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING)
    walk.complete("Task_CorrectionNotice")
    paused = case_row(db, started.case_id)
    assert paused.clock_paused_at == clock.moment and paused.due_at == promised
    # The applicant brings the papers on Thursday at 15:00 (two working days and five hours later).
    clock.moment = datetime(2026, 11, 26, 15, 0, tzinfo=BEIJING)
    walk.complete("Task_CorrectionSupply", complete=True)
    resumed = case_row(db, started.case_id)
    stood = working_time_between(datetime(2026, 11, 24, 10, 0, tzinfo=BEIJING), clock.moment)
    assert stood == timedelta(hours=6.5 + 7.5 + 4.5)  # Tue from 10:00, all Wednesday, Thu until 15:00
    assert resumed.clock_paused_at is None
    assert resumed.clock_paused_seconds == int(stood.total_seconds())
    assert working_time_between(promised, resumed.due_at) == stood
    with db.read() as session:
        kinds = session.scalars(select(CaseEvent.kind).where(CaseEvent.case_id == started.case_id)
                                .order_by(CaseEvent.id)).all()
    assert kinds.index("clock_paused") < kinds.index("clock_resumed")


def test_every_due_time_says_how_much_working_time_is_left(app):
    from web.time_view import remaining

    friday = datetime(2026, 11, 27, 17, 0, tzinfo=BEIJING)
    with app.test_request_context("/"):
        assert "剩余 2 个工作小时" in remaining(datetime(2026, 11, 30, 10, 0, tzinfo=BEIJING), now=friday)
        # Friday's last hour, Monday, Tuesday and Wednesday's first hour: 17 of 7.5-hour days.
        assert "剩余 2.3 个工作日" in remaining(datetime(2026, 12, 2, 10, 0, tzinfo=BEIJING), now=friday)
        assert "已超期 1 个工作小时" in remaining(datetime(2026, 11, 27, 16, 0, tzinfo=BEIJING), now=friday)
        assert "计时暂停中" in remaining(friday, paused_at=friday)
        assert "无日历数据" in remaining(datetime(2027, 3, 1, 10, 0, tzinfo=BEIJING), now=friday)
        assert remaining(None) == ""


def test_the_queue_shows_the_remaining_time(app, runtime, intake):
    from tests.web_helpers import signed_in

    runtime.start_case("restaurant", {**intake, "has_company": True, "uscc": "91420103MA4KXXXX0Q"}, "clerk")
    page = signed_in(app, "rev_sj").get("/queue").get_data(as_text=True)
    assert 'class="remaining' in page


def test_window_tasks_of_a_shared_block_are_due_by_its_promise(db, intake):
    clock = Clock(datetime(2026, 11, 23, 9, 0, tzinfo=BEIJING))
    runtime = Runtime(db, clock=clock, workflow_cache=WorkflowCache())
    started = runtime.start_case("restaurant", {**intake, "has_company": True, "uscc": "91420103MA4KXXXX0Q",
                                                "has_sign": False, "discharge_to_sewer": False}, "clerk")
    walk = Walker(runtime, started.case_id)
    walk.complete("Task_FoodReview", decision="correct", reason="缺少食品安全管理制度")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    notice = walk.item("Task_CorrectionNotice")
    # The law's five working days for the one-time notice: Monday 23 November -> Monday 30 November.
    assert notice.due_at == datetime(2026, 11, 30, 18, 0, tzinfo=BEIJING)
