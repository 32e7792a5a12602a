"""Decision table cells are checked before deployment: each bad cell is
reported on its rule, with the column's label; the library passes."""
from __future__ import annotations

import shutil

import pytest

from engine.deployment import validate_paths
from engine.dmn_lint import input_entry_problem, lint_dmn

from .conftest import PROCESSES

PERMITS = PROCESSES / "restaurant" / "permits.dmn"


def test_every_library_table_passes():
    for path in sorted(PROCESSES.rglob("*.dmn")):
        assert lint_dmn(str(path), path.read_text(encoding="utf-8")) == [], path


@pytest.mark.parametrize("entry,fine", [
    ("-", True), ("", True), ('"leased"', True), ("True", True), (">= 50", True), ("< 150", True),
    ("100 < ? <= 150", True), ("'food' in permits", True), ('"a", "b"', True),
    (">= = 50", False), ("Tru e", False), ("__import__('os')", False), ("? >", False),
])
def test_input_entries_as_the_dmn_engine_reads_them(entry, fine):
    assert (input_entry_problem(entry) is None) is fine


def test_bad_cells_are_reported_on_their_rule():
    text = PERMITS.read_text(encoding="utf-8")
    text = text.replace("<text>&gt;= 50</text>", "<text>&gt;= = 50</text>", 1)
    text = text.replace("<text>area_m2</text>", "<text>area_m2 +</text>", 1)
    problems = lint_dmn("permits.dmn", text)
    assert [(p.element, p.message.split(":")[0]) for p in problems] == [
        ("Input_area", "input '经营面积 (m²)'"), ("Rule_fire", "rule 2, input '经营面积 (m²)'")]
    assert "SyntaxError" in problems[1].message


def test_a_scenario_with_a_bad_cell_does_not_validate(tmp_path):
    shutil.copytree(PROCESSES / "restaurant", tmp_path / "restaurant")
    shutil.copytree(PROCESSES / "common", tmp_path / "common")
    path = tmp_path / "restaurant" / "permits.dmn"
    path.write_text(path.read_text(encoding="utf-8").replace("<text>True</text>", "<text>Tru e</text>", 1),
                    encoding="utf-8")
    _, problems = validate_paths([tmp_path / "restaurant", tmp_path / "common"])
    assert len(problems) == 1 and problems[0].file.endswith("permits.dmn")
    assert problems[0].message.startswith("rule ") and "Tru e" in problems[0].message
