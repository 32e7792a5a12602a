"""Reading the process library from disk.

A PATH given to `validate` or `deploy` is a scenario folder (it has a
metadata.json), a folder of them, or a bare .bpmn file. Every scenario is
turned into a `Bundle`: its metadata and the text of its files. Call
activities are resolved against the other bundles found, so that a deployed
version carries every file it needs (DESIGN.md decision 9)."""
from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from lxml import etree

from .problems import Problem
from .xml_safety import UnsafeXML, parse_xml

BPMN_NS = "http://www.omg.org/spec/BPMN/20100524/MODEL"
SHARED_FORMS_DIR = "forms"
METADATA_FILE = "metadata.json"
KEY_PATTERN = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]{0,63}$")


@dataclass
class Bundle:
    """One deployable unit: a scenario folder or a bare BPMN file."""

    key: str
    process_id: str
    metadata: dict
    bpmn: dict[str, str] = field(default_factory=dict)  # display path -> XML text
    dmn: dict[str, str] = field(default_factory=dict)
    forms: dict[str, str] = field(default_factory=dict)  # form key -> JSON text
    form_paths: dict[str, str] = field(default_factory=dict)  # form key -> display path
    problems: list[Problem] = field(default_factory=list)
    # process ids defined in this bundle's BPMN, and the ids its call activities call
    defines: set[str] = field(default_factory=set)
    calls: set[str] = field(default_factory=set)
    calls_by_process: dict[str, set[str]] = field(default_factory=dict)
    executable: set[str] = field(default_factory=set)


@dataclass
class VersionContent:
    """Everything a process version needs: its own files and its dependencies'."""

    key: str
    process_id: str
    metadata: dict
    bpmn: dict[str, str]
    dmn: dict[str, str]
    forms: dict[str, str]

    def as_files(self) -> dict:
        return {"bpmn": self.bpmn, "dmn": self.dmn, "forms": self.forms}

    @property
    def content_hash(self) -> str:
        return content_hash(self.as_files(), self.metadata)


def content_hash(files: dict, metadata: dict) -> str:
    canonical = json.dumps({"files": files, "metadata": metadata}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def _display(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def _read_text(path: Path, problems: list[Problem]) -> str | None:
    try:
        data = path.read_bytes()
        return data.decode("utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(_display(path), "", "file is not UTF-8 text"))
    except OSError as exc:
        problems.append(Problem(_display(path), "", f"cannot read file: {exc.strerror}"))
    return None


def scan_bpmn(bundle: Bundle, display: str, text: str) -> None:
    """Note the processes a BPMN file defines and calls. Unsafe or malformed
    XML becomes a problem on the bundle."""
    try:
        root = parse_xml(text, display)
    except UnsafeXML as exc:
        bundle.problems.append(Problem(display, "", str(exc)))
        return
    except etree.XMLSyntaxError as exc:
        bundle.problems.append(Problem(display, f"line {exc.lineno}", f"XML syntax error: {exc.msg}"))
        return
    if root.tag != f"{{{BPMN_NS}}}definitions":
        bundle.problems.append(Problem(display, "", "not a BPMN 2.0 file (root element is not bpmn:definitions)"))
        return
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        pid = process.get("id")
        if pid:
            bundle.defines.add(pid)
            if process.get("isExecutable", "false").lower() == "true":
                bundle.executable.add(pid)
    for process in root.iter(f"{{{BPMN_NS}}}process"):
        called = {c.get("calledElement") for c in process.iter(f"{{{BPMN_NS}}}callActivity") if c.get("calledElement")}
        bundle.calls_by_process.setdefault(process.get("id", ""), set()).update(called)
        bundle.calls.update(called)


def first_process_id(text: str) -> str | None:
    try:
        root = parse_xml(text)
    except (UnsafeXML, etree.XMLSyntaxError):
        return None
    processes = list(root.iter(f"{{{BPMN_NS}}}process"))
    executable = [p for p in processes if p.get("isExecutable", "false").lower() == "true"]
    chosen = (executable or processes or [None])[0]
    return chosen.get("id") if chosen is not None else None


def default_metadata(key: str, process_id: str, name: str | None = None) -> dict:
    return {
        "key": key, "process_id": process_id, "name": {"zh": name or key, "en": name or key},
        "category": "imported", "promised_working_days": None, "departments": [],
        "approvals": [], "materials": [], "notes": "deployed from a bare BPMN file; defaults applied",
    }


def read_scenario_folder(folder: Path, problems: list[Problem]) -> dict[str, str]:
    """{path relative to the folder: text} of the files a scenario is made
    of: metadata.json, its BPMN and DMN files (at any depth) and forms/*.json."""
    paths = [folder / METADATA_FILE] if (folder / METADATA_FILE).exists() else []
    paths += sorted(folder.rglob("*.bpmn")) + sorted(folder.rglob("*.dmn")) + sorted((folder / "forms").glob("*.json"))
    files = {}
    for path in paths:
        if (text := _read_text(path, problems)) is not None:
            files[path.relative_to(folder).as_posix()] = text
    return files


def form_key_of(relative: str) -> str | None:
    """`forms/intake.json` -> `intake`; any other path -> None."""
    path = PurePosixPath(relative)
    return path.stem if len(path.parts) == 2 and path.parts[0] == SHARED_FORMS_DIR and path.suffix == ".json" else None


def _in_folder_order(paths) -> list[str]:
    return sorted(paths, key=lambda p: PurePosixPath(p).parts)


def bundle_from_files(files: dict[str, str], root: str, shared_forms: dict[str, tuple[str, str]],
                      default_key: str, problems: list[Problem] | None = None) -> Bundle:
    """A scenario's bundle from its files' text, {path relative to the
    scenario folder: text}, wherever they come from (a folder on disk, a
    draft in the studio). `root` is the folder's display path: each file is
    reported, and deployed, as `root/relative path`."""
    problems = problems if problems is not None else []
    meta_display = f"{root}/{METADATA_FILE}"
    metadata: dict = {}
    text = files.get(METADATA_FILE)
    if text is None:
        problems.append(Problem(meta_display, "", "the scenario has no metadata.json"))
    else:
        try:
            metadata = json.loads(text)
            if not isinstance(metadata, dict):
                raise ValueError("the top level must be an object")
        except ValueError as exc:
            problems.append(Problem(meta_display, "", f"invalid JSON: {exc}"))
            metadata = {}
    key = metadata.get("key") or default_key
    bundle = Bundle(key=key, process_id=metadata.get("process_id", ""), metadata=metadata, problems=problems)
    if not KEY_PATTERN.match(str(key)):
        problems.append(Problem(meta_display, "key", f"scenario key {key!r} must be letters, digits, _ . -"))
    for relative in _in_folder_order(p for p in files if p.endswith(".bpmn")):
        bundle.bpmn[f"{root}/{relative}"] = files[relative]
        scan_bpmn(bundle, f"{root}/{relative}", files[relative])
    for relative in _in_folder_order(p for p in files if p.endswith(".dmn")):
        bundle.dmn[f"{root}/{relative}"] = files[relative]
    for form_key, (display, text) in shared_forms.items():
        bundle.forms[form_key] = text
        bundle.form_paths[form_key] = display
    for relative in _in_folder_order(files):
        if (form_key := form_key_of(relative)) is not None:
            bundle.forms[form_key] = files[relative]
            bundle.form_paths[form_key] = f"{root}/{relative}"
    if not bundle.bpmn:
        problems.append(Problem(root, "", "scenario folder has no .bpmn file"))
    if not bundle.process_id:
        problems.append(Problem(meta_display, "process_id", "metadata names no process_id"))
    elif bundle.bpmn and bundle.process_id not in bundle.defines and not bundle.problems:
        problems.append(Problem(meta_display, "process_id",
                                f"process {bundle.process_id!r} is not defined in the folder's BPMN files"))
    return bundle


def load_scenario_folder(folder: Path, shared_forms: dict[str, tuple[str, str]]) -> Bundle:
    problems: list[Problem] = []
    files = read_scenario_folder(folder, problems)
    return bundle_from_files(files, _display(folder), shared_forms, folder.name, problems)


def load_bare_file(path: Path, siblings_dmn: dict[str, str]) -> Bundle:
    problems: list[Problem] = []
    text = _read_text(path, problems)
    display = _display(path)
    process_id = first_process_id(text) if text else None
    key = process_id or path.stem
    bundle = Bundle(key=key, process_id=process_id or "", metadata={}, problems=problems)
    bundle.metadata = default_metadata(key, bundle.process_id)
    if text is not None:
        bundle.bpmn[display] = text
        scan_bpmn(bundle, display, text)
        if process_id is None and not bundle.problems:
            problems.append(Problem(display, "", "the file defines no bpmn:process"))
    bundle.dmn.update(siblings_dmn)
    return bundle


def _shared_forms(root: Path) -> dict[str, tuple[str, str]]:
    forms = {}
    for candidate in (root / "common" / SHARED_FORMS_DIR, root / SHARED_FORMS_DIR):
        for path in sorted(candidate.glob("*.json")):
            forms[path.stem] = (_display(path), path.read_text(encoding="utf-8"))
    return forms


def discover(paths: list[str | Path]) -> list[Bundle]:
    """Every bundle under the given paths, in a stable order."""
    bundles: list[Bundle] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            bundles.append(Bundle(key=str(raw), process_id="", metadata={},
                                  problems=[Problem(str(raw), "", "no such file or folder")]))
        elif path.is_file():
            if path.suffix.lower() != ".bpmn":
                bundles.append(Bundle(key=path.name, process_id="", metadata={},
                                      problems=[Problem(_display(path), "", "not a .bpmn file or a scenario folder")]))
                continue
            dmn = {_display(p): p.read_text(encoding="utf-8", errors="replace") for p in sorted(path.parent.glob("*.dmn"))}
            bundles.append(load_bare_file(path, dmn))
        else:
            _discover_folder(path, _shared_forms(_library_root(path)), bundles)
    return bundles


def _library_root(path: Path) -> Path:
    """The folder whose common/forms serve a scenario: the scenario's parent
    for processes/<scenario>, processes itself when given processes/."""
    path = path.resolve()
    for candidate in (path, *path.parents):
        if (candidate / "common").is_dir():
            return candidate
    return path


def _discover_folder(folder: Path, shared_forms, bundles: list[Bundle]) -> None:
    if (folder / METADATA_FILE).exists():
        bundles.append(load_scenario_folder(folder, shared_forms))
        return
    dmn = {_display(p): p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.dmn"))}
    for path in sorted(folder.glob("*.bpmn")):
        bundles.append(load_bare_file(path, dmn))
    for sub in sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if sub.name == SHARED_FORMS_DIR:
            continue
        _discover_folder(sub, shared_forms, bundles)


def assemble(bundle: Bundle, index: dict[str, VersionContent | Bundle]) -> tuple[VersionContent | None, list[Problem]]:
    """The bundle's files plus those of every process it calls, transitively.
    `index` maps a process id to the bundle (or deployed content) defining it."""
    problems: list[Problem] = []
    bpmn, dmn, forms = dict(bundle.bpmn), dict(bundle.dmn), dict(bundle.forms)
    blocks: dict[str, dict] = {}
    seen = set(bundle.defines)
    pending = sorted(bundle.calls - seen)
    while pending:
        called = pending.pop()
        if called in seen:
            continue
        seen.add(called)
        provider = index.get(called)
        if provider is None:
            continue  # reported by validation with the calling element
        bpmn.update(provider.bpmn)
        blocks[called] = {k: v for k, v in provider.metadata.items() if k != "blocks"}
        dmn.update(provider.dmn)
        for form_key, text in provider.forms.items():
            forms.setdefault(form_key, text)
        if isinstance(provider, Bundle):
            pending.extend(sorted(provider.calls - seen))
            seen.update(provider.defines)
    # The called blocks' metadata travels with the version: their approvals'
    # legal limits give the due times of their tasks.
    metadata = {**bundle.metadata, "blocks": blocks} if blocks else bundle.metadata
    content = VersionContent(bundle.key, bundle.process_id, metadata, bpmn, dmn, forms)
    return content, problems
