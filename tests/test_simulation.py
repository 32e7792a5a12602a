"""Simulation through the real engine and database: every process of the
library, with generated valid data and random decisions, takes every one of
its sequence flows and leaves no case stranded."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from engine.simulation.runner import simulate
from tests.conftest import PROCESSES
from web.cli import main

RUNS = {"restaurant": 60, "company_setup": 25}


@pytest.mark.parametrize("scenario", sorted(RUNS))
def test_simulation_covers_every_flow_and_strands_nothing(runtime, scenario):
    report = simulate(runtime, scenario, RUNS[scenario], seed=1)
    assert report.errors == []
    assert report.stranded == []
    assert report.untaken == []
    assert sum(report.statuses.values()) == RUNS[scenario]


def test_simulation_is_reproducible(runtime):
    first = simulate(runtime, "company_setup", 5, seed=7)
    second = simulate(runtime, "company_setup", 5, seed=7)
    assert first.flow_counts == second.flow_counts and first.statuses == second.statuses


def test_simulate_command(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'sim.sqlite'}")
    runner = CliRunner()
    assert runner.invoke(main, ["init", "--no-demo"]).exit_code == 0
    result = runner.invoke(main, ["simulate", "company_setup", "--runs", "3", "--seed", "2", "--json"])
    assert result.exit_code == 1  # no demo users: every case fails to start, and says so
    payload = json.loads(result.stdout)
    assert payload["errors"] and payload["errors"][0]["error"]["code"] == "forbidden"
    assert runner.invoke(main, ["init"]).exit_code == 0
    result = runner.invoke(main, ["simulate", "company_setup", "--runs", "3", "--seed", "2"])
    assert result.exit_code == 0, result.output
    assert "sequence flows taken" in result.output


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
