"""Checking process files before anything is deployed. Every fault comes
back as `file:element: message`; nothing here raises on bad input."""
from __future__ import annotations


from lxml import etree

from .dmn_lint import lint_dmn
from .evaluator import check_syntax
from .library import BPMN_NS, Bundle, VersionContent, assemble
from .parser import CAMUNDA
from .problems import Problem, ProcessFileError
from .timers import literal_problems
from .specs import CompiledProcess, compile_content
from .studio.lint import lint_bpmn
from .xml_safety import UnsafeXML, parse_xml

BPMN = "{" + BPMN_NS + "}"
TIMER_TAGS = ("timeDuration", "timeDate", "timeCycle")
RESERVED_IDS = ("Start", "End")


def lint_expressions(display: str, text: str) -> list[Problem]:
    """Conditions, scripts and timer expressions must compile under the
    restricted evaluator: refuse at deploy time what would fail at run time."""
    try:
        root = parse_xml(text, display)
    except (UnsafeXML, etree.XMLSyntaxError):
        return []  # reported by the library scan
    problems: list[Problem] = []

    def check(element_id: str, source: str | None, mode: str, what: str):
        if source is None or not source.strip():
            return
        for message in check_syntax(source, mode):
            problems.append(Problem(display, element_id, f"{what}: {message}"))

    for flow in root.iter(BPMN + "sequenceFlow"):
        cond = flow.find(BPMN + "conditionExpression")
        if cond is not None:
            check(flow.get("id", ""), cond.text, "eval", "condition")
    for task in root.iter(BPMN + "scriptTask"):
        fmt = (task.get("scriptFormat") or "python").lower()
        script = task.find(BPMN + "script")
        if fmt not in ("python", "python3", "py"):
            problems.append(Problem(display, task.get("id", ""), f"script format {fmt!r} is not supported; use python"))
        elif script is not None:
            check(task.get("id", ""), script.text, "exec", "script")
    for tag in TIMER_TAGS:
        for timer in root.iter(BPMN + tag):
            event = timer.getparent().getparent()
            event_id = event.get("id", "") if event is not None else ""
            check(event_id, timer.text, "eval", "timer expression")
            problems.extend(Problem(display, event_id, f"timer expression: {message}")
                            for message in literal_problems(tag, timer.text or ""))
    for element in root.iter():
        # SpiffWorkflow names its own root and end tasks "Start" and "End": an
        # element with such an id silently replaces them and loses the flow.
        if isinstance(element.tag, str) and element.get("id") in RESERVED_IDS \
                and element.tag.startswith(BPMN) and not element.tag.endswith(("definitions", "process")):
            problems.append(Problem(display, element.get("id"), f"the id {element.get('id')!r} is reserved by the "
                                    "engine; rename the element (e.g. StartEvent_1)"))
    for task in root.iter(BPMN + "userTask"):
        due = task.get(CAMUNDA + "dueDate")
        if due:
            check(task.get("id", ""), due, "eval", "due date expression")
    return problems


def lint_calls(bundle: Bundle, index: dict) -> list[Problem]:
    problems = []
    for display, text in bundle.bpmn.items():
        try:
            root = parse_xml(text, display)
        except (UnsafeXML, etree.XMLSyntaxError):
            continue
        for call in root.iter(BPMN + "callActivity"):
            target = call.get("calledElement")
            if not target:
                problems.append(Problem(display, call.get("id", ""), "call activity names no calledElement"))
            elif target not in bundle.defines and target not in index:
                problems.append(Problem(display, call.get("id", ""),
                                        f"calls process {target!r}, which is neither in the files given "
                                        "nor deployed"))
    return problems


def lint_recursion(bundle: Bundle, index: dict) -> list[Problem]:
    """A process that calls itself, directly or through others, never
    reaches a wait state: refuse it at deploy time."""
    def calls_of(pid):
        if pid in bundle.calls_by_process:
            return bundle.calls_by_process[pid]
        provider = index.get(pid)
        return getattr(provider, "calls_by_process", {}).get(pid, set()) if provider is not None else set()

    problems = []
    for pid in sorted(bundle.calls_by_process):
        seen, stack, path = set(), [(pid, [pid])], None
        while stack and path is None:
            current, trail = stack.pop()
            for target in sorted(calls_of(current)):
                if target == pid:
                    path = trail + [target]
                    break
                if target not in seen:
                    seen.add(target)
                    stack.append((target, trail + [target]))
        if path:
            problems.append(Problem(next(iter(bundle.bpmn), bundle.key), pid,
                                    "process calls itself (" + " -> ".join(path) + "); recursive call "
                                    "activities never reach a wait state"))
    return problems


def lint_metadata(bundle: Bundle) -> list[Problem]:
    meta = bundle.metadata
    where = next(iter(bundle.bpmn), bundle.key)
    problems = []
    name = meta.get("name")
    if not isinstance(name, dict) or not name.get("zh") or not name.get("en"):
        problems.append(Problem(where, "metadata.name", "needs a Chinese and an English name"))
    keys = [a.get("key") for a in meta.get("approvals") or [] if isinstance(a, dict)]
    if len(keys) != len(set(keys)):
        problems.append(Problem(where, "metadata.approvals", "approval keys must be unique"))
    return problems


def check_bundle(bundle: Bundle, index: dict) -> tuple[CompiledProcess | None, VersionContent | None, list[Problem]]:
    """All problems of one bundle; the compiled process when there are none."""
    problems = list(bundle.problems)
    if problems:
        return None, None, problems
    for display, text in bundle.dmn.items():
        problems += lint_dmn(display, text)
    problems += lint_calls(bundle, index)
    problems += lint_recursion(bundle, index)
    for display, text in bundle.bpmn.items():
        problems += lint_expressions(display, text)
        problems += lint_bpmn(display, text)
    problems += lint_metadata(bundle)
    if problems:
        return None, None, problems
    content, more = assemble(bundle, index)
    problems += more
    if not bundle.process_id:
        problems.append(Problem(next(iter(bundle.bpmn), bundle.key), "", "no process to deploy"))
    if problems:
        return None, content, problems
    try:
        compiled = compile_content(content)
    except ProcessFileError as exc:
        return None, content, exc.problems
    except Exception as exc:  # a parser crash on a strange file is still a clear refusal
        return None, content, [Problem(next(iter(bundle.bpmn), bundle.key), bundle.process_id,
                                       f"cannot parse process ({type(exc).__name__}: {exc})")]
    return compiled, content, []


def index_of(bundles: list[Bundle], deployed: dict[str, VersionContent] | None = None) -> dict:
    """process id -> the bundle or deployed content that defines it. Files
    given in this call win over what is deployed."""
    index: dict = dict(deployed or {})
    for bundle in bundles:
        for pid in bundle.defines:
            index[pid] = bundle
    return index

