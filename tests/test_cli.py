"""The `onewindow` command line, end to end on a fresh SQLite file: init,
processes, a restaurant case walked from the shell, validate and deploy."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from engine.simulation.answers import answer
from web.cli import main

from .conftest import DATA, PROCESSES


@pytest.fixture
def cli(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'cli.sqlite'}")
    runner = CliRunner()

    def run(*args, ok=True):
        result = runner.invoke(main, [str(a) for a in args], catch_exceptions=False)
        if ok:
            assert result.exit_code == 0, result.output
        return result

    run("init", "--json")
    return run


def as_json(result):
    return json.loads(result.stdout)


def test_init_prints_logins_and_deploys_the_library(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'x.sqlite'}")
    result = CliRunner().invoke(main, ["init"])
    assert result.exit_code == 0, result.output
    assert "deployed restaurant v1" in result.output
    assert "clerk" in result.output and "onewindow-demo" in result.output
    again = CliRunner().invoke(main, ["init", "--json"])
    payload = json.loads(again.stdout)
    assert {d["key"]: d["created"] for d in payload["deployed"]}["restaurant"] is False  # unchanged


def test_processes_lists_the_restaurant(cli):
    items = as_json(cli("processes", "--json"))
    restaurant = next(i for i in items if i["key"] == "restaurant")
    assert restaurant["name_zh"] == "开办餐馆" and restaurant["version"] == 1


def test_walk_a_restaurant_case_from_the_shell(cli, tmp_path):
    intake = json.loads((DATA / "restaurant_intake.json").read_text())
    intake.update(has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=30, has_sign=False,
                  discharge_to_sewer=False, remote_inspection=False)
    intake_file = tmp_path / "intake.json"
    intake_file.write_text(json.dumps(intake, ensure_ascii=False))
    started = as_json(cli("case", "start", "restaurant", "--data", intake_file, "--as", "clerk", "--json"))
    ref = started["reference"]
    # The restaurant's forms and the shared ones: form keys are unique within
    # a version, not across the library.
    forms = {p.stem: json.loads(p.read_text()) for folder in ("common", "restaurant")
             for p in (PROCESSES / folder).rglob("forms/*.json")}
    users = {"SJ": "rev_sj", "HB": "rev_hb", "CK": "clerk"}
    for _ in range(10):
        items = as_json(cli("task", "list", "--case", ref, "--json"))
        if not items:
            break
        item = items[0]
        schema = forms[item["form_key"]]
        data = answer(schema, {"decision": "approve", "mode": "on_site", "method": "window"})
        data_file = tmp_path / f"{item['task']}.json"
        data_file.write_text(json.dumps(data, ensure_ascii=False))
        cli("task", "complete", ref, item["task"], "--data", data_file, "--as", users[item["department"]])
    shown = as_json(cli("case", "show", ref, "--json"))
    assert shown["status"] == "completed"
    kinds = [e["kind"] for e in shown["events"]]
    assert kinds[0] == "case_started" and kinds.count("task_completed") == 5
    text = cli("case", "show", ref).output
    assert ref in text and "completed" in text


def test_task_complete_reports_form_errors_and_exits_non_zero(cli, tmp_path):
    intake_file = DATA / "restaurant_intake.json"
    ref = as_json(cli("case", "start", "restaurant", "--data", intake_file, "--as", "clerk", "--json"))["reference"]
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps({"decision": "approve"}))
    result = cli("task", "complete", ref, "Task_Registration", "--data", bad, "--as", "rev_sj", "--json", ok=False)
    assert result.exit_code == 1
    error = json.loads(result.stdout)["error"]
    assert error["code"] == "invalid_data" and "uscc" in error["errors"]
    result = cli("task", "complete", ref, "Task_Registration", "--data", bad, "--as", "rev_xf", ok=False)
    assert result.exit_code == 1 and "forbidden" in result.stderr


def test_validate_prints_one_line_per_fault(cli, tmp_path):
    bad = tmp_path / "bad.bpmn"
    bad.write_text('<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "x">]><x/>')
    result = cli("validate", bad, ok=False)
    assert result.exit_code == 1
    lines = [l for l in result.output.splitlines() if l.strip()]
    assert len(lines) == 1 and lines[0].startswith(str(bad)) and "DOCTYPE" in lines[0]
    assert cli("validate", PROCESSES).output.startswith("ok:")


def test_deploy_needs_a_designer_and_keeps_versions(cli, tmp_path):
    result = cli("deploy", PROCESSES / "restaurant", "--as", "rev_sj", ok=False)
    assert result.exit_code == 1 and "designer" in result.output + result.stderr
    unchanged = as_json(cli("deploy", PROCESSES / "restaurant", "--as", "designer", "--json"))
    assert unchanged["deployed"][0]["created"] is False
