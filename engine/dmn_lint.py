"""The expressions of DMN decision tables, checked before deployment as
BPMN conditions are (engine/validation.py `lint_expressions`): SpiffWorkflow
parses a table without looking at its cells, so a typo in one would
otherwise fail a case at run time, at the business rule task.

How SpiffWorkflow's DMN engine reads a cell (DMNEngine.evaluate): an input
entry of `-` (or empty) matches anything; `?` stands for the input's value;
otherwise the entry is compared with `==` when it is an expression of its
own (`"leased"`, `True`) and appended to the input expression when it
starts with an operator (`>= 50`). Output entries are expressions."""
from __future__ import annotations

import re

from lxml import etree

from .evaluator import check_syntax
from .problems import Problem
from .xml_safety import UnsafeXML, parse_xml

DMN_NAMESPACE_PART = "omg.org/spec/DMN/"  # every DMN version's model namespace
# `?` outside quotes, as DMNEngine replaces it.
_QUESTION_MARK = re.compile(r"(\?)(?=(?:[^'\"]|['\"][^'\"]*['\"])*$)")


def _local(element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _dmn_children(element, name: str) -> list:
    return [c for c in element if _local(c) == name and DMN_NAMESPACE_PART in (etree.QName(c).namespace or "")]


def _text(element) -> str:
    found = _dmn_children(element, "text")
    return (found[0].text or "").strip() if found else ""


def input_entry_problem(entry: str) -> str | None:
    """Why an input entry cannot run (None when it can)."""
    if entry in ("", "-"):
        return None
    if "?" in entry:
        messages = check_syntax(_QUESTION_MARK.sub("dmninputexpr", entry))
        return messages[0] if messages else None
    alone = check_syntax(entry)
    if not alone or not check_syntax(f"v {entry}"):
        return None
    return alone[0]


def lint_dmn(display: str, text: str) -> list[Problem]:
    try:
        root = parse_xml(text, display)
    except (UnsafeXML, etree.XMLSyntaxError):
        return []  # the parser reports it
    problems: list[Problem] = []
    for table in root.iter():
        if _local(table) != "decisionTable":
            continue
        inputs = _dmn_children(table, "input")
        labels = [i.get("label") or i.get("id") or str(n + 1) for n, i in enumerate(inputs)]
        outputs = [o.get("label") or o.get("name") or o.get("id") or str(n + 1)
                   for n, o in enumerate(_dmn_children(table, "output"))]
        for column, label in zip(inputs, labels):
            expression = next(iter(_dmn_children(column, "inputExpression")), None)
            source = _text(expression) if expression is not None else ""
            for message in check_syntax(source) if source else ["the input has no expression"]:
                problems.append(Problem(display, column.get("id", ""), f"input {label!r}: {message}"))
        for number, rule in enumerate(_dmn_children(table, "rule"), start=1):
            where = rule.get("id", "") or f"rule {number}"
            for label, entry in zip(labels, _dmn_children(rule, "inputEntry")):
                message = input_entry_problem(_text(entry))
                if message:
                    problems.append(Problem(display, where, f"rule {number}, input {label!r}: {message}"))
            for label, entry in zip(outputs, _dmn_children(rule, "outputEntry")):
                source = _text(entry)
                for message in check_syntax(source) if source else []:
                    problems.append(Problem(display, where, f"rule {number}, output {label!r}: {message}"))
    return problems
