"""The supervisor's figures and ranking computed from known data: history
rows with known working times give exact on-time rates, medians, 90th
percentiles, speed and ranking scores; the commands write that history
with the right working time; quarters; CSV cells."""
from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select, text

from engine.dashboard import figures, heatmap, ranking
from engine.dashboard.csv_export import csv_bytes, safe_cell
from engine.dashboard.percentiles import of_values, percentiles
from engine.dashboard.quarters import Quarter
from engine.dashboard.ratings import DepartmentRatings, use_provider
from engine.runtime.service import Runtime
from engine.runtime.workflow_cache import WorkflowCache
from engine.workcalendar import BEIJING
from models import Case, CaseDuration, ProcessVersion, WorkItemHistory
from tests.walk import Walker, start

H = 3600
Q3 = Quarter(2026, 3)
IN_Q3 = datetime(2026, 8, 10, 2, 0, tzinfo=timezone.utc)  # a Monday, 10:00 in Beijing


def _case(session, reference: str) -> Case:
    version = session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == "restaurant"))
    case = Case(reference=reference, scenario_key="restaurant", process_version_id=version.id, state="{}")
    session.add(case)
    session.flush()
    return case


def _item(case, dept, hours, allowed_hours=None, on_time=None, outcome="completed", ended=IN_Q3,
          task="Task_FoodReview", process="restaurant", permit=""):
    return WorkItemHistory(
        case_id=case.id, scenario_key=case.scenario_key, process_version_id=case.process_version_id,
        process_id=process, task_id=f"{case.id}-{dept}-{hours}-{outcome}-{ended:%m}", task_spec=task,
        title_zh=task, department_code=dept, permit=permit, outcome=outcome, ready_at=ended - timedelta(hours=hours),
        ended_at=ended, due_at=None if on_time is None else ended, working_seconds=int(hours * H),
        allowed_seconds=None if allowed_hours is None else int(allowed_hours * H), on_time=on_time)


@pytest.fixture
def known(db):
    """SJ: 5 items of 1, 2, 3, 4, 10 working hours against 8 h limits, the
    last one late; XF: 2 items of 2 and 6 h against 16 h, both on time; plus
    rows that must not count (cancelled, another quarter). Cases of the
    restaurant: 10, 20, 40 h against the promise, the last one late, and a
    withdrawn one."""
    with db.write() as session:
        case = _case(session, "JH-2026-900001")
        rows = [_item(case, "SJ", h, 8, h < 10) for h in (1, 2, 3, 4, 10)]
        rows += [_item(case, "XF", h, 16, True, task="Task_OnsiteInspection",
                       process="onsite_inspection@restaurant/Call_FireInspection", permit="fire") for h in (2, 6)]
        rows += [_item(case, "SJ", 50, 8, False, outcome="cancelled"),
                 _item(case, "SJ", 70, 8, False, ended=datetime(2026, 6, 30, 15, 59, tzinfo=timezone.utc))]
        session.add_all(rows)
        for n, (hours, on_time, status) in enumerate(((10, True, "completed"), (20, True, "rejected"),
                                                      (40, False, "completed"), (5, True, "withdrawn"))):
            closed = _case(session, f"JH-2026-90001{n}")
            session.add(CaseDuration(case_id=closed.id, scenario_key="restaurant",
                                     process_version_id=closed.process_version_id, status=status,
                                     started_at=IN_Q3 - timedelta(days=5), closed_at=IN_Q3,
                                     due_at=IN_Q3, working_seconds=hours * H, on_time=on_time))
    return db


def _by_key(rows):
    return {row.key: row for row in rows}


def test_department_figures_from_known_items(known):
    with known.read() as session:
        rows = _by_key(figures.department_figures(session.connection(), Q3.start, Q3.end))
    sj, xf = rows["SJ"], rows["XF"]
    assert (sj.count, sj.with_due, sj.on_time, sj.on_time_rate) == (5, 5, 4, 0.8)
    assert sj.median_seconds == 3 * H
    assert sj.p90_seconds == pytest.approx(7.6 * H)  # rank 4.6: 4 h + 0.6 × (10 h − 4 h)
    assert sj.mean_seconds == pytest.approx(4 * H)
    assert sj.used_share == pytest.approx((1 / 8 + 2 / 8 + 3 / 8 + 4 / 8 + 1) / 5)  # the late one counts as 1
    assert (xf.count, xf.on_time_rate, xf.median_seconds) == (2, 1.0, 4 * H)
    assert xf.p90_seconds == pytest.approx(5.6 * H)
    assert xf.used_share == pytest.approx(0.25)
    assert rows["GA"].count == 0 and rows["GA"].on_time_rate is None and rows["GA"].median_seconds is None


def test_scenario_figures_count_completed_and_rejected_cases_only(known):
    with known.read() as session:
        (restaurant,) = figures.scenario_figures(session.connection(), Q3.start, Q3.end)
    assert restaurant.key == "restaurant" and restaurant.name == "开办餐馆"
    assert (restaurant.count, restaurant.on_time, restaurant.with_due) == (3, 2, 3)
    assert restaurant.median_seconds == 20 * H
    assert restaurant.p90_seconds == pytest.approx(36 * H)  # rank 2.8: 20 h + 0.8 × 20 h


def test_nothing_outside_the_quarter(known):
    with known.read() as session:
        rows = _by_key(figures.department_figures(session.connection(), Q3.end, Q3.next().end))
        assert figures.scenario_figures(session.connection(), Q3.end, Q3.next().end) == []
        previous = _by_key(figures.department_figures(session.connection(), Q3.previous().start, Q3.start))
    assert rows["SJ"].count == 0
    assert (previous["SJ"].count, previous["SJ"].median_seconds) == (1, 70 * H)


def test_ranking_scores_with_the_default_weights_and_no_ratings(known):
    with known.read() as session:
        rows = figures.department_figures(session.connection(), Q3.start, Q3.end)
        weights = ranking.load_weights(session)
    assert weights == ranking.Weights(40, 30, 30)
    standings = ranking.rank(rows, {}, weights)
    xf, sj = standings[0], standings[1]
    assert (xf.department_code, xf.rank, sj.department_code, sj.rank) == ("XF", 1, "SJ", 2)
    assert sj.parts == {"on_time": pytest.approx(80), "speed": pytest.approx(55), "ratings": None}
    # Without ratings the other two parts are weighted 40 : 30.
    assert sj.score == pytest.approx((40 * 80 + 30 * 55) / 70)
    assert xf.score == pytest.approx((40 * 100 + 30 * 75) / 70)
    assert all(s.rank is None and s.score is None for s in standings[2:])


def test_ratings_enter_the_score_through_the_provider(known):
    use_provider(lambda conn, start, end: {"SJ": DepartmentRatings(12, 5.0), "XF": DepartmentRatings(3, 1.0, bad=3)})
    try:
        with known.read() as session:
            conn = session.connection()
            from engine.dashboard.ratings import ratings_between

            given = ratings_between(conn, Q3.start, Q3.end)
            rows = figures.department_figures(conn, Q3.start, Q3.end)
    finally:
        use_provider(None)
    standings = {s.department_code: s for s in ranking.rank(rows, given, ranking.Weights(40, 30, 30))}
    assert standings["SJ"].score == pytest.approx(0.4 * 80 + 0.3 * 55 + 0.3 * 100)
    assert standings["XF"].score == pytest.approx(0.4 * 100 + 0.3 * 75 + 0.3 * 0)
    assert (standings["SJ"].rank, standings["XF"].rank) == (1, 2)


def test_weights_are_validated_and_saved(known):
    for bad in ({"on_time": 50, "speed": 30, "ratings": 30}, {"on_time": -10, "speed": 80, "ratings": 30},
                {"on_time": 40, "speed": 30}, {"on_time": "40", "speed": 30, "ratings": 30}):
        with pytest.raises(ValueError):
            ranking.validate(bad)
    with known.write() as session:
        ranking.save_weights(session, {"on_time": 100, "speed": 0, "ratings": 0}, None)
    with known.read() as session:
        weights = ranking.load_weights(session)
        rows = figures.department_figures(session.connection(), Q3.start, Q3.end)
    assert weights == ranking.Weights(100, 0, 0)
    standings = {s.department_code: s for s in ranking.rank(rows, {}, weights)}
    assert (standings["SJ"].score, standings["XF"].score) == (pytest.approx(80), pytest.approx(100))


def test_equal_scores_share_a_rank():
    rows = [figures.Figures(code, code, count=1, with_due=1, on_time=1, used_share=0.5) for code in ("A", "B")]
    rows.append(figures.Figures("C", "C", count=2, with_due=2, on_time=1, used_share=0.5))
    assert [(s.department_code, s.rank) for s in ranking.rank(rows, {}, ranking.Weights(40, 30, 30))] == [
        ("A", 1), ("B", 1), ("C", 3)]


def test_heat_map_figures_per_task_and_call_site(known):
    with known.read() as session:
        version = session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == "restaurant"))
        waits = heatmap.waits(session.connection(), version.id)
        diagrams = {d["key"]: d for d in heatmap.diagrams(version, waits)}
    by_task = {(w.process_id, w.task_spec): w for w in waits}
    food = by_task[("restaurant", "Task_FoodReview")]
    assert (food.count, food.median_seconds) == (6, 3.5 * H)  # incl. last quarter's 70 h
    fire = by_task[("onsite_inspection@restaurant/Call_FireInspection", "Task_OnsiteInspection")]
    assert (fire.count, fire.median_seconds, fire.mean_seconds) == (2, 4 * H, 4 * H)
    assert fire.level == 5  # the longest median
    assert food.level == 1 + int(5 * 3.5 / 4)  # 3.5 h of the longest 4 h: the fifth step
    assert diagrams["restaurant"]["main"] and "Task_FoodReview" in diagrams["restaurant"]["tasks"]
    fire_diagram = diagrams["onsite_inspection@restaurant/Call_FireInspection"]
    assert fire_diagram["name"].startswith("现场核查 · ") and "消防" in fire_diagram["name"]
    assert 'id="Task_OnsiteInspection"' in fire_diagram["xml"]


def test_percentiles_match_postgresql_percentile_cont(db):
    """The window-function percentiles equal percentile_cont (PostgreSQL)
    and the same interpolation in Python (both databases)."""
    values = {"SJ": [5, 1, 9, 3, 7, 11, 2], "XF": [4], "CG": [8, 2]}
    with db.write() as session:
        case = _case(session, "JH-2026-900099")
        session.add_all(_item(case, dept, v, ended=IN_Q3 + timedelta(minutes=i))
                        for dept, vs in values.items() for i, v in enumerate(vs))
    table = WorkItemHistory.__table__
    with db.read() as session:
        conn = session.connection()
        found = percentiles(conn, table.c.working_seconds, [table.c.department_code], [])
        for dept, vs in values.items():
            seconds = [v * H for v in vs]
            assert found[(dept,)] == {50: pytest.approx(of_values(seconds, 50)), 90: pytest.approx(of_values(seconds, 90))}
            if not db.is_sqlite:
                cont = conn.execute(text(
                    "SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY working_seconds), "
                    "percentile_cont(0.9) WITHIN GROUP (ORDER BY working_seconds) FROM work_item_history "
                    "WHERE department_code = :d"), {"d": dept}).one()
                assert (found[(dept,)][50], found[(dept,)][90]) == (pytest.approx(cont[0]), pytest.approx(cont[1]))


def _at(local: str) -> datetime:
    return datetime.fromisoformat(local).replace(tzinfo=BEIJING).astimezone(timezone.utc)


def test_commands_write_history_in_working_time(db, intake):
    """A task ready at 09:00 on a Monday and completed at 14:30 took 4
    working hours (the lunch break does not count); a withdrawal cancels the
    open items and records the case's duration."""
    clock = [_at("2026-11-23T09:00:00")]
    runtime = Runtime(db, clock=lambda: clock[0], workflow_cache=WorkflowCache())
    walk = start(runtime, intake)
    assert walk.open_tasks() == {"Task_Registration"}
    clock[0] = _at("2026-11-23T14:30:00")
    walk.complete("Task_Registration", decision="approve")
    clock[0] = _at("2026-11-24T10:00:00")
    runtime.withdraw(walk.case_id, "clerk", "applicant withdrew")
    with db.read() as session:
        rows = session.scalars(select(WorkItemHistory).order_by(WorkItemHistory.id)).all()
        duration = session.get(CaseDuration, walk.case_id)
    registration = rows[0]
    assert (registration.task_spec, registration.department_code, registration.outcome) == (
        "Task_Registration", "SJ", "completed")
    assert registration.process_id.startswith("company_setup")
    assert registration.working_seconds == 4 * H
    # The block's promise, half a working day (4 hours), is shorter than registration's
    # legal 3 days: the item is due by the promise, and was done just in time.
    assert registration.allowed_seconds == 4 * H
    assert registration.on_time is True
    cancelled = rows[1:]
    assert {r.task_spec for r in cancelled} == {"Task_Seal", "Task_Tax", "Task_SocialInsurance", "Task_HousingFund"}
    assert all(r.outcome == "cancelled" and r.working_seconds == 3.5 * H + 1 * H for r in cancelled)
    assert duration.status == "withdrawn" and duration.working_seconds == 7.5 * H + 1 * H


def test_a_walked_case_closes_with_its_duration(db, intake):
    clock = [_at("2026-11-23T09:00:00")]
    runtime = Runtime(db, clock=lambda: clock[0], workflow_cache=WorkflowCache())
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False,
                 discharge_to_sewer=False, remote_inspection=False)
    walker = Walker(runtime, walk.case_id)
    walker.last = walk.last
    for hour, task, fixed in (("10:00", "Task_FoodReview", {"decision": "approve"}),
                              ("11:00", "Task_OnsiteInspection:food", {"decision": "approve", "mode": "on_site"}),
                              ("11:00", "Task_OnsiteInspection:fire", {"decision": "approve", "mode": "on_site"})):
        if task in walker.open_tasks():
            clock[0] = _at(f"2026-11-23T{hour}:00")
            walker.complete(task, **fixed)
    clock[0] = _at("2026-11-24T09:30:00")
    for task in sorted(walker.open_tasks() - {"Task_Delivery"}):
        walker.complete(task, decision="approve", mode="on_site")
    result = walker.complete("Task_Delivery", method="window")
    assert result.status == "completed"
    with db.read() as session:
        duration = session.get(CaseDuration, walk.case_id)
        history = session.scalars(select(WorkItemHistory)).all()
    assert duration.status == "completed"
    assert duration.working_seconds == 7.5 * H + 0.5 * H  # Monday 9:00 to Tuesday 9:30
    assert duration.on_time is True
    assert history and all(h.outcome == "completed" for h in history)


def test_quarters_in_beijing_time():
    q = Quarter.parse("2026q1")
    assert (q.label, q.start, q.end) == ("2026Q1", datetime(2025, 12, 31, 16, tzinfo=timezone.utc),
                                         datetime(2026, 3, 31, 16, tzinfo=timezone.utc))
    assert Quarter.of(datetime(2026, 3, 31, 16, 30, tzinfo=timezone.utc)) == Quarter(2026, 2)  # 00:30 on 1 April
    assert [x.label for x in Quarter(2026, 1).recent(3)] == ["2026Q1", "2025Q4", "2025Q3"]
    for bad in ("2026Q5", "Q1", "", "1999Q1", "2026-Q1"):
        with pytest.raises(ValueError):
            Quarter.parse(bad)


def test_csv_has_bom_header_and_no_formulas():
    data = csv_bytes(["部门", "=cmd"], [["区市场监管局", "=HYPERLINK(\"x\")"], ["+1", "@SUM(A1)"], ["-2", 3],
                                      [None, 0.5], ['a "quoted", text', True]])
    assert data.startswith("\ufeff".encode("utf-8"))
    lines = data.decode("utf-8-sig").split("\r\n")
    assert lines[0] == "部门,'=cmd"
    assert lines[1] == "区市场监管局,\"'=HYPERLINK(\"\"x\"\")\""
    assert lines[2] == "'+1,'@SUM(A1)"
    assert lines[3] == "'-2,3"
    assert lines[4] == ",0.5"
    assert lines[5] == '"a ""quoted"", text",1'
    assert safe_cell(-2) == -2  # a number stays a number
