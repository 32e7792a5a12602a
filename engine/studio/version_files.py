"""A deployed version's own files, as they sit in its scenario folder.

A version carries every file it runs with (engine/library.py `assemble`):
its own BPMN and DMN under their display paths (`processes/restaurant/
restaurant.bpmn`), the BPMN and DMN of the shared blocks it calls (under
their own folders), and its forms by form key, mixed with the library's
shared forms (processes/common/forms) and the blocks' forms. A draft holds
only the scenario's own files, by their path inside the scenario folder
(`restaurant.bpmn`, `forms/restaurant_intake.json`, `metadata.json`)."""
from __future__ import annotations

import json
from pathlib import PurePosixPath

from lxml import etree
from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ProcessVersion

from ..library import BPMN_NS, METADATA_FILE, SHARED_FORMS_DIR
from ..xml_safety import UnsafeXML, parse_xml

NEW_SCENARIO_ROOT = "processes"


def scenario_root(version: ProcessVersion | None, key: str) -> str:
    """The display path of the scenario's folder: that of the BPMN file
    defining the version's process (`processes/restaurant`). A new scenario
    goes where the library keeps scenarios."""
    if version is not None:
        bpmn = version.files.get("bpmn", {})
        for display in sorted(bpmn):
            if version.process_id in _process_ids(bpmn[display]):
                return str(PurePosixPath(display).parent)
    return f"{NEW_SCENARIO_ROOT}/{key}"


def _process_ids(text: str) -> set[str]:
    try:
        root = parse_xml(text)
    except (UnsafeXML, etree.XMLSyntaxError):
        return set()
    return {p.get("id") for p in root.iter(f"{{{BPMN_NS}}}process")}


# The order the library's metadata.json files are written in. PostgreSQL's
# JSONB keeps no key order, so a version read back from it is laid out so.
METADATA_ORDER = ("key", "process_id", "name", "category", "standalone", "applicant_kind", "promised_working_days",
                  "promised_working_days_green", "departments", "calls", "decisions", "approvals", "materials",
                  "notes")


def metadata_text(metadata: dict) -> str:
    rank = {key: i for i, key in enumerate(METADATA_ORDER)}
    ordered = dict(sorted(metadata.items(), key=lambda item: rank.get(item[0], len(rank))))
    return json.dumps(ordered, ensure_ascii=False, indent=2) + "\n"


def own_files(session: Session, version: ProcessVersion) -> dict[str, str]:
    """{path inside the scenario folder: text} of the version's own files."""
    root = scenario_root(version, version.scenario_key)
    files: dict[str, str] = {}
    for kind in ("bpmn", "dmn"):
        for display, text in version.files.get(kind, {}).items():
            path = PurePosixPath(display)
            if path.is_relative_to(root):
                files[path.relative_to(root).as_posix()] = text
    carried = carried_forms(session, version)
    for form_key, text in version.files.get("forms", {}).items():
        if carried.get(form_key) != text:
            files[f"{SHARED_FORMS_DIR}/{form_key}.json"] = text
    # The called blocks' metadata is added at deployment (assemble); it is not
    # the scenario's to edit.
    files[METADATA_FILE] = metadata_text({k: v for k, v in version.meta.items() if k != "blocks"})
    return dict(sorted(files.items()))


def carried_forms(session: Session, version: ProcessVersion | None) -> dict[str, str]:
    """The forms a version gets from elsewhere: the library's shared forms
    and those of the blocks it calls (their active versions)."""
    forms = library_forms(session)
    blocks = sorted((version.meta.get("blocks") or {}) if version is not None else {})
    if blocks:
        rows = session.execute(select(ProcessVersion.files).where(ProcessVersion.active.is_(True),
                                                                  ProcessVersion.process_id.in_(blocks)))
        for (files,) in rows:
            for form_key, text in (files.get("forms") or {}).items():
                forms.setdefault(form_key, text)
    return forms


def library_forms(session: Session) -> dict[str, str]:
    """The library's shared forms (processes/common/forms): every scenario
    read from a folder carries them, so they are the forms, text and all,
    that all active versions with forms have in common. With fewer than two
    such versions nothing can be told apart, and none is taken as shared."""
    found = [forms for forms in session.scalars(select(ProcessVersion.files["forms"])
                                                .where(ProcessVersion.active.is_(True))) if forms]
    if len(found) < 2:
        return {}
    common = dict(found[0])
    for forms in found[1:]:
        common = {key: text for key, text in common.items() if forms.get(key) == text}
    return common
