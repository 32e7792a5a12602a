"""What may be written into a draft (DESIGN.md decision 6: BPMN is code).
A file is refused, with its whole save or upload, when it sits outside the
scenario folder's layout, is too large, or is XML a process file may not be
(a DOCTYPE or entities, malformed, the wrong root) or JSON that does not
parse. An upload must also pass the restricted evaluator's compile check:
a file from outside enters a draft only when its expressions could run."""
from __future__ import annotations

import json
import re

from lxml import etree

from ..dmn_lint import DMN_NAMESPACE_PART, lint_dmn
from ..library import BPMN_NS, METADATA_FILE, form_key_of
from ..problems import Problem
from ..validation import lint_expressions
from ..xml_safety import MAX_FILE_BYTES, UnsafeXML, parse_xml

MAX_FILES = 100
MAX_PATH = 200
# Folder and file names as designers use them; no `..`, no absolute paths.
_PATH = re.compile(r"^[A-Za-z0-9_\-][A-Za-z0-9_.\-]*(/[A-Za-z0-9_\-][A-Za-z0-9_.\-]*)*$")


def kind_of(path: str) -> str | None:
    """bpmn, dmn, form or metadata; None for a path a draft does not hold."""
    if path == METADATA_FILE:
        return "metadata"
    if form_key_of(path) is not None:
        return "form"
    if path.endswith(".bpmn"):
        return "bpmn"
    if path.endswith(".dmn"):
        return "dmn"
    return None


def refusals(files: dict[str, str], upload: bool = False) -> list[Problem]:
    """Why these files may not be written into a draft (empty: they may)."""
    if len(files) > MAX_FILES:
        return [Problem("", "", f"at most {MAX_FILES} files in a draft")]
    problems: list[Problem] = []
    for path, text in files.items():
        problems += _file_refusals(path, text, upload)
    return problems


def _file_refusals(path: str, text, upload: bool) -> list[Problem]:
    if not isinstance(path, str) or len(path) > MAX_PATH or not _PATH.match(path) or ".." in path:
        return [Problem(str(path)[:MAX_PATH], "", "not a path inside the scenario folder")]
    kind = kind_of(path)
    if kind is None:
        return [Problem(path, "", "a draft holds .bpmn and .dmn files, forms/<name>.json and metadata.json")]
    if not isinstance(text, str):
        return [Problem(path, "", "the file must be UTF-8 text")]
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        return [Problem(path, "", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")]
    if kind in ("form", "metadata"):
        return _json_refusals(path, text)
    try:
        root = parse_xml(text, path)
    except UnsafeXML as exc:
        return [Problem(path, "", str(exc))]
    except etree.XMLSyntaxError as exc:
        return [Problem(path, f"line {exc.lineno}", f"not well-formed XML: {exc.msg}")]
    if not _right_root(kind, root):
        return [Problem(path, "", f"not a {kind.upper()} file (the root element is not {kind}:definitions)")]
    if upload:  # conditions, scripts, timers and due dates; decision-table cells
        return lint_expressions(path, text) if kind == "bpmn" else lint_dmn(path, text)
    return []


def _json_refusals(path: str, text: str) -> list[Problem]:
    try:
        value = json.loads(text)
    except ValueError as exc:
        return [Problem(path, "", f"invalid JSON: {exc}")]
    if not isinstance(value, dict):
        return [Problem(path, "", "invalid JSON: the top level must be an object")]
    return []


def _right_root(kind: str, root) -> bool:
    name = etree.QName(root)
    if name.localname != "definitions":
        return False
    if kind == "bpmn":
        return name.namespace == BPMN_NS
    return DMN_NAMESPACE_PART in (name.namespace or "")
