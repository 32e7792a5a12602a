"""Simulation through the real engine and database: every process of the
library, with generated valid data and random decisions, takes every one of
its sequence flows and leaves no case stranded, a case waiting on a timer
included (the simulated time moves on to it and the timer fires). Only
dates the legal calendar knows are simulated."""
from __future__ import annotations

import json
from datetime import date, datetime, time, timedelta

import pytest
from click.testing import CliRunner

from engine.simulation.runner import simulate
from engine.simulation.timeline import calendar_problem
from engine.workcalendar import BEIJING
from models import CaseEvent
from tests.conftest import PROCESSES
from tests.walk import SIM_START
from web.cli import main

RUNS = {"restaurant": 60, "company_setup": 25}


@pytest.mark.parametrize("scenario", sorted(RUNS))
def test_simulation_covers_every_flow_and_strands_nothing(runtime, scenario):
    report = simulate(runtime, scenario, RUNS[scenario], seed=1, start=SIM_START)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
    assert sum(report.statuses.values()) == RUNS[scenario]


def test_simulation_is_reproducible(runtime):
    first = simulate(runtime, "company_setup", 5, seed=7, start=SIM_START)
    second = simulate(runtime, "company_setup", 5, seed=7, start=SIM_START)
    assert first.flow_counts == second.flow_counts and first.statuses == second.statuses


def test_a_case_waiting_on_its_rectification_timer_moves_on_and_is_not_stranded(runtime):
    """The video block's rectification period: with nothing open the case
    waits on its timer; the simulation moves its time on to the timer and
    fires it through the sweep's command, and the re-check follows."""
    report = simulate(runtime, "restaurant", 60, seed=1, start=SIM_START)
    assert report.timers_fired > 0 and report.stranded == [] and report.errors == []
    with runtime.db.read() as session:
        fired = session.query(CaseEvent).filter_by(kind="timer_fired").all()
    assert len(fired) == report.timers_fired
    assert {tuple(e.payload["timers"]) for e in fired} == {("整改期限届满",)}
    assert all(e.at > SIM_START and e.actor_name == "system" for e in fired)


def test_a_start_whose_calendar_runs_out_is_refused_with_the_latest_start_that_fits():
    assert calendar_problem(SIM_START, 80) is None
    problem = calendar_problem(datetime(2026, 12, 1, 9, tzinfo=BEIJING), 60, from_working_days=80)
    assert "no data for 2027-01-01 (year 2027)" in problem
    latest = datetime.combine(date.fromisoformat(problem.split("use --from ")[1][:10]), time(9, 0), BEIJING)
    assert calendar_problem(latest, 80) is None
    assert calendar_problem(latest + timedelta(days=1), 80) is not None


def test_simulate_command(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'sim.sqlite'}")
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--no-demo"]).exit_code == 0
    start = ["--from", "2026-03-02"]
    result = runner.invoke(main, ["simulate", "company_setup", "--runs", "3", "--seed", "2", *start, "--json"])
    assert result.exit_code == 1  # no demo users: every case fails to start, and says so
    payload = json.loads(result.stdout)
    assert payload["errors"] and payload["errors"][0]["error"]["code"] == "forbidden"
    assert runner.invoke(main, ["init"]).exit_code == 0
    result = runner.invoke(main, ["simulate", "company_setup", "--runs", "3", "--seed", "2", *start])
    assert result.exit_code == 0, result.output
    assert "sequence flows taken" in result.output and "from 2026-03-02 09:00" in result.output
    # Too close to the end of the known years (2026): refused before anything runs, and says what fits.
    result = runner.invoke(main, ["simulate", "company_setup", "--runs", "3", "--from", "2026-12-01", "--json"])
    assert result.exit_code == 2
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "calendar_data_missing" and "use --from 2026-09-06 or earlier" in error["message"]


def test_flows_inside_an_embedded_subprocess_are_keyed_by_the_subprocess():
    """SpiffWorkflow names an embedded sub-process's spec after its element
    id; the coverage report must key its flows the same way."""
    from engine.simulation.coverage import flows_by_endpoints

    text = (PROCESSES / "construction_project" / "construction_project.bpmn").read_text(encoding="utf-8")
    flows = flows_by_endpoints({"construction_project.bpmn": text})
    assert flows[("Sub_Stage1", "Gateway_S1Split", "Task_EIA")] == ["Flow_S1ToEIA"]
    assert flows[("construction_project", "Gateway_S1Round", "Sub_Stage1")] == ["Flow_S1Round_Stage"]


def test_flows_are_counted_per_process_and_time_is_capped(runtime):
    report = simulate(runtime, "restaurant", 10, seed=1)
    # Both the scenario and its company set-up block have a Flow_Registered.
    assert report.spec_flow_counts[("restaurant", "Flow_Registered")] > 0
    assert report.spec_flow_counts[("company_setup", "Flow_Registered")] > 0
    assert report.flow_counts["Flow_Registered"] >= report.spec_flow_counts[("restaurant", "Flow_Registered")]
    short = simulate(runtime, "company_setup", 30, seed=1, time_limit=0.0)
    assert short.cut_short and short.runs == 1 and sum(short.statuses.values()) == 1
