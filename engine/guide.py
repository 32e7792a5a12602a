"""智能导办 "What do I need": the questions that decide a scenario's component
approvals and materials, and their answers run through the SAME decision
tables a case runs (the DMN files of the scenario's active process version,
the restricted evaluator of the runtime), never a second copy of the rules.

The questions are the case-data names the decision tables read (their input
expressions), minus what an earlier table produces (`permits` feeds
`materials`), described by the scenario's intake form (titles, types,
options), so a designer who changes a table or the form changes the guide."""
from __future__ import annotations

import ast
import builtins
import threading
from dataclasses import dataclass, field
from types import SimpleNamespace

from lxml import etree
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .evaluator import ExpressionError
from .forms import FormSchema
from .parser import new_parser
from .runtime import store
from .xml_safety import UnsafeXML, parse_xml


class GuideUnavailable(Exception):
    """The scenario has no intake form or decision tables to guide with."""


@dataclass(frozen=True)
class Decision:
    output_kind: str  # the metadata name: permits, materials, procedure...
    decision_id: str
    engine: object  # SpiffWorkflow's DMNEngine for the table
    reads: tuple[str, ...]  # case-data names its inputs read


@dataclass
class Guide:
    scenario_key: str
    content_hash: str
    metadata: dict
    decisions: list[Decision]
    questions: FormSchema

    def evaluate(self, answers: dict, script_engine) -> "Outcome":
        """Run the tables in order on the answers (earlier outputs feed later
        tables, as in the process); unanswered yes/no questions are no."""
        data = {name: False for name in self._booleans()}
        data.update(answers)
        outputs: dict = {}
        for decision in self.decisions:
            context = _DecisionContext(decision.decision_id, {**data, **outputs}, script_engine)
            try:
                result = decision.engine.result(context)
            except (SpiffWorkflowException, ExpressionError, NameError, KeyError, TypeError, AttributeError) as exc:
                raise GuideUnavailable(f"decision {decision.decision_id}: {exc}") from exc
            outputs.update(result)
        return Outcome(self.metadata, outputs)

    def _booleans(self) -> list[str]:
        return [f["name"] for f in self.questions.fields() if f["type"] == "boolean"]


class _DecisionContext:
    """What SpiffWorkflow's DMNEngine reads of the task it decides for (the
    data, the script engine) and of its error reports (names, the trace)."""

    def __init__(self, decision_id: str, data: dict, script_engine):
        self.data = data
        self.task_spec = SimpleNamespace(name=decision_id, bpmn_id=decision_id, bpmn_name=decision_id)
        self.workflow = SimpleNamespace(script_engine=script_engine, spec=SimpleNamespace(file="guide"))
        self.workflow.top_workflow = self.workflow


@dataclass
class Outcome:
    metadata: dict
    outputs: dict = field(default_factory=dict)

    @property
    def permit_keys(self) -> list[str]:
        return list(self.outputs.get("permits") or [])

    @property
    def material_keys(self) -> list[str]:
        return list(self.outputs.get("materials") or [])

    def approvals(self) -> list[dict]:
        """The approvals the tables chose, in the metadata's order."""
        chosen = set(self.permit_keys)
        return [a for a in self.metadata.get("approvals") or [] if a.get("key") in chosen]

    def block_approvals(self) -> list[dict]:
        """Approvals a shared block does when the process calls it (company
        set-up, say): decided by the process, not by these tables."""
        chosen = set(self.permit_keys)
        return [a for a in self.metadata.get("approvals") or [] if a.get("via") and a.get("key") not in chosen]

    def materials(self) -> list[dict]:
        chosen = set(self.material_keys)
        return [m for m in self.metadata.get("materials") or [] if m.get("key") in chosen]


_BUILTIN_NAMES = set(dir(builtins)) | {"True", "False", "None"}
_CACHE: dict[str, Guide] = {}
_LOCK = threading.Lock()


def names_read(expression: str) -> list[str]:
    """The data names a DMN input expression reads (`'fire' in permits` ->
    permits), in order, without builtins such as bool or set."""
    try:
        tree = ast.parse(expression.strip(), mode="eval")
    except SyntaxError:
        return []
    seen: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and node.id not in _BUILTIN_NAMES and node.id not in seen:
            seen.append(node.id)
    return seen


def guide_for(runtime, conn, scenario_key: str) -> Guide:
    """The guide of the scenario's active version (NotFound when none),
    built once per content hash."""
    version, intake = runtime.intake_form(conn, scenario_key)
    with _LOCK:
        cached = _CACHE.get(version.content_hash)
    if cached is not None:
        return cached
    if intake is None:
        raise GuideUnavailable(f"{scenario_key!r} has no intake form")
    full = store.version_with_files(conn, version.id)
    guide = build(scenario_key, version.content_hash, full.meta or {}, (full.files or {}).get("dmn", {}), intake)
    with _LOCK:
        return _CACHE.setdefault(version.content_hash, guide)


def build(scenario_key: str, content_hash: str, metadata: dict, dmn_files: dict[str, str],
          intake: FormSchema) -> Guide:
    parser = new_parser(validate_xsd=False)
    try:
        for display, text in dmn_files.items():
            parser.add_dmn_xml(parse_xml(text, display), filename=display)
    except (UnsafeXML, etree.XMLSyntaxError, SpiffWorkflowException) as exc:
        raise GuideUnavailable(f"{scenario_key}: cannot read its decision tables: {exc}") from exc
    decisions: list[Decision] = []
    for kind, decision_id in sorted((metadata.get("decisions") or {}).items()):
        try:
            engine = parser.get_engine(decision_id, None)
        except SpiffWorkflowException as exc:
            raise GuideUnavailable(f"{scenario_key}: {exc}") from exc
        reads = tuple(dict.fromkeys(n for i in engine.decision_table.inputs for n in names_read(i.expression or "")))
        decisions.append(Decision(kind, decision_id, engine, reads))
    if not decisions:
        raise GuideUnavailable(f"{scenario_key!r} names no decision tables in its metadata")
    return Guide(scenario_key, content_hash, metadata, _in_data_order(decisions), _questions(decisions, intake))


def _outputs(decision: Decision) -> set[str]:
    return {o.name for o in decision.engine.decision_table.outputs}


def _in_data_order(decisions: list[Decision]) -> list[Decision]:
    """Each table after the tables whose outputs it reads (materials after
    permits and procedure), as the process runs them. Not the metadata's key
    order: PostgreSQL's JSONB does not keep it."""
    ordered: list[Decision] = []
    pending = list(decisions)
    while pending:
        ready = next((d for d in pending if not any(set(d.reads) & _outputs(o) for o in pending if o is not d)),
                     None)
        if ready is None:
            names = ", ".join(d.decision_id for d in pending)
            raise GuideUnavailable(f"the decision tables {names} read each other's outputs in a cycle")
        ordered.append(ready)
        pending.remove(ready)
    return ordered


def _questions(decisions: list[Decision], intake: FormSchema) -> FormSchema:
    """A form of the intake's own fields that the tables read and no table
    produces, in the intake form's order."""
    produced = {name for d in decisions for name in _outputs(d)}
    wanted = {n for d in decisions for n in d.reads} - produced
    props = intake.schema.get("properties") or {}
    order = [n for n in intake.schema.get("x-order") or props if n in wanted and n in props]
    order += [n for n in props if n in wanted and n not in order]
    missing = wanted - set(order)
    if missing:
        raise GuideUnavailable(f"the decision tables read {sorted(missing)}, which the intake form does not ask")
    properties = {n: props[n] for n in order}
    required = [n for n in order if properties[n].get("type") != "boolean"]
    return FormSchema({"type": "object", "properties": properties, "required": required, "x-order": order,
                       "title": intake.schema.get("title", ""), "x-title-en": intake.schema.get("x-title-en", "")})
