"""Turning a version's files into SpiffWorkflow specs, once per content hash.

Specs are immutable while cases run, so every case of a version shares one
parsed spec; the stored workflow state never carries it."""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

from lxml import etree
from SpiffWorkflow.bpmn.parser.ValidationException import ValidationException
from SpiffWorkflow.exceptions import SpiffWorkflowException

from .call_sites import specialise
from .departments import is_caller_lane, task_department
from .forms import FormDefinitionError, FormSchema, from_camunda_form
from .library import VersionContent
from .parser import APPLICANT_TASK, DUE_DATE, new_parser
from .problems import Problem, ProcessFileError
from .xml_safety import UnsafeXML, parse_xml


@dataclass(frozen=True)
class UserTaskInfo:
    """What the work-item projection and the completion checks need to know
    about a user task, computed once per version."""

    bpmn_id: str
    process_id: str
    title: str
    title_en: str
    department: str | None
    form_key: str
    permit: str
    due_date: str
    # camunda:property clock=paused: while this task waits, the case's clock
    # stops (the applicant's correction, testing, expert review).
    pauses_clock: bool = False
    applicant: bool = False  # the case's applicant may complete it online


@dataclass
class CompiledProcess:
    content_hash: str
    process_id: str
    spec: object
    subprocess_specs: dict
    metadata: dict
    forms: dict[str, FormSchema] = field(default_factory=dict)
    user_tasks: dict[tuple[str, str], UserTaskInfo] = field(default_factory=dict)
    intake_form_key: str | None = None  # found on first use (Runtime.intake_form)

    def task_info(self, task_spec) -> UserTaskInfo:
        return self.user_tasks[(task_spec._wf_spec.name, task_spec.name)]

    def form_for(self, info: UserTaskInfo) -> FormSchema | None:
        return self.forms.get(info.form_key) if info.form_key else self.forms.get("#" + info.bpmn_id)


def _problem_from_validation(exc: ValidationException, default_file: str) -> Problem:
    element = getattr(exc, "id", "") or getattr(exc, "tag", "")
    line = getattr(exc, "line_number", "")
    if line and not element:
        element = f"line {line}"
    message = str(exc).split("\n")[0]
    return Problem(getattr(exc, "file_name", "") or default_file, element, message)


def compile_content(content: VersionContent, validate_xsd: bool = True) -> CompiledProcess:
    """Parse and check; raise ProcessFileError listing every problem."""
    problems: list[Problem] = []
    parser = new_parser(validate_xsd)
    files = [(display, text, parser.add_bpmn_xml) for display, text in content.bpmn.items()]
    files += [(display, text, parser.add_dmn_xml) for display, text in content.dmn.items()]
    for display, text, add in files:
        try:
            add(parse_xml(text, display), filename=display)
        except UnsafeXML as exc:
            problems.append(Problem(display, "", str(exc)))
        except etree.XMLSyntaxError as exc:
            problems.append(Problem(display, f"line {exc.lineno}", f"XML syntax error: {exc.msg}"))
        except SpiffWorkflowException as exc:  # ValidationException is one
            problems.append(_problem_from_validation(exc, display))
    if problems:
        raise ProcessFileError(problems)
    main_file = next(iter(content.bpmn), "")
    try:
        spec = parser.get_spec(content.process_id)
        subprocess_specs = parser.get_subprocess_specs(content.process_id)
    except ValidationException as exc:
        raise ProcessFileError([_problem_from_validation(exc, main_file)]) from None
    except (SpiffWorkflowException, KeyError, AttributeError, TypeError, ValueError) as exc:
        # SpiffWorkflow's parser raises plain errors on some malformed models.
        raise ProcessFileError([Problem(main_file, content.process_id, f"cannot parse process: {exc}")]) from None
    problems += [Problem(main_file, call, message) for call, message in specialise(spec, subprocess_specs)]
    compiled = CompiledProcess(content.content_hash, content.process_id, spec, subprocess_specs, content.metadata)
    _load_forms(content, compiled, problems)
    _collect_user_tasks(compiled, problems, main_file)
    if problems:
        raise ProcessFileError(problems)
    return compiled


def _load_forms(content: VersionContent, compiled: CompiledProcess, problems: list[Problem]) -> None:
    for form_key, text in content.forms.items():
        try:
            compiled.forms[form_key] = FormSchema.from_text(text)
        except FormDefinitionError as exc:
            problems.append(Problem(f"forms/{form_key}.json", "", str(exc)))


def _all_specs(compiled: CompiledProcess):
    yield compiled.spec
    yield from (s for s in compiled.subprocess_specs.values() if s is not None)


def _approval_names(metadata: dict) -> dict[str, dict]:
    names = {}
    for meta in [*(metadata.get("blocks") or {}).values(), metadata]:
        for approval in meta.get("approvals") or []:
            if approval.get("key") and isinstance(approval.get("name"), dict):
                names[approval["key"]] = approval["name"]
    return names


def _collect_user_tasks(compiled: CompiledProcess, problems: list[Problem], main_file: str) -> None:
    approval_names = _approval_names(compiled.metadata)
    for process_spec in _all_specs(compiled):
        file = getattr(process_spec, "file", None) or main_file
        for task_spec in process_spec.task_specs.values():
            # User and manual tasks both wait for a person (SpiffWorkflow's
            # `manual` flag); both become work items.
            if not getattr(task_spec, "manual", False):
                continue
            extensions = task_spec.extensions or {}
            form = getattr(task_spec, "form", None)
            form_key = (form.key or "") if form is not None else ""
            department = task_department(task_spec)
            # A block's `* 调用部门` task compiled without a caller (the block
            # validated on its own) has no department until it is called.
            uncalled = process_spec is compiled.spec and is_caller_lane(getattr(task_spec, "lane", None))
            if not department and not uncalled:
                problems.append(Problem(file, task_spec.name,
                                        "task has no department: put it in a lane named "
                                        "'<code> <name>' or set camunda:candidateGroups"))
            if form_key and form_key not in compiled.forms:
                if form is not None and form.fields:
                    compiled.forms[form_key] = from_camunda_form(form)
                else:
                    problems.append(Problem(file, task_spec.name, f"form {form_key!r} not found "
                                            f"(looked for forms/{form_key}.json)"))
            elif not form_key and form is not None and form.fields:
                compiled.forms["#" + task_spec.name] = from_camunda_form(form)
            permit = extensions.get("permit", "")
            title, title_en = task_spec.bpmn_name or task_spec.name, extensions.get("name_en", "")
            if "@" in process_spec.name and permit in approval_names:
                # A block's task done for a caller (现场核查 for the fire
                # check): the queue must say which approval it serves.
                name = approval_names[permit]
                title = f"{name.get('zh', permit)} · {title}"
                title_en = f"{name.get('en', permit)} · {title_en}" if title_en else name.get("en", "")
            compiled.user_tasks[(process_spec.name, task_spec.name)] = UserTaskInfo(
                bpmn_id=task_spec.name, process_id=process_spec.name, title=title, title_en=title_en,
                department=department, form_key=form_key, permit=permit,
                due_date=extensions.get(DUE_DATE, ""),
                pauses_clock=extensions.get("clock") == "paused",
                applicant=str(extensions.get(APPLICANT_TASK, "")).strip().lower() == "true",
            )
            if extensions.get("clock") not in (None, "paused"):
                problems.append(Problem(file, task_spec.name, f"property clock={extensions['clock']!r}: the only "
                                        "value is 'paused' (the case's clock stops while this task waits)"))


class SpecCache:
    """Compiled processes by content hash. Thread-safe; compiling twice in a
    race is harmless (the same result), so the lock only guards the dict."""

    def __init__(self):
        self._lock = threading.Lock()
        self._items: dict[str, CompiledProcess] = {}

    def get(self, content: VersionContent) -> CompiledProcess:
        key = content.content_hash
        with self._lock:
            found = self._items.get(key)
        if found is not None:
            return found
        compiled = compile_content(content, validate_xsd=False)
        with self._lock:
            return self._items.setdefault(key, compiled)

    def put(self, compiled: CompiledProcess) -> None:
        with self._lock:
            self._items.setdefault(compiled.content_hash, compiled)

    def get_by_hash(self, content_hash: str, loader) -> CompiledProcess:
        with self._lock:
            found = self._items.get(content_hash)
        if found is not None:
            return found
        return self.get(loader())


SPEC_CACHE = SpecCache()
