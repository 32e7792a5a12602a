"""Comparing two states of a scenario for the studio's compare page: two
deployed versions, or the active version and the draft (before deploying
it). The diff itself is engine/studio/version_diff.py; this module finds the
two sides' files, names them, and gives each changed BPMN file's XML with
the marks to colour on its diagram (added and changed elements on the new
side, removed and changed ones on the old)."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import ProcessVersion

from ..library import assemble
from ..runtime.errors import InvalidData, NotFound
from .drafts import called_index, draft_bundle, draft_of
from .version_diff import diff_files

DRAFT = "draft"


@dataclass
class Side:
    ref: str  # a version number, or "draft"
    files: dict  # {"bpmn": {path: xml}, "dmn": {...}, "forms": {...}}, as ProcessVersion.files
    metadata: dict
    version_id: int | None = None

    @property
    def is_draft(self) -> bool:
        return self.ref == DRAFT


def versions(session: Session, key: str) -> list[ProcessVersion]:
    return list(session.scalars(select(ProcessVersion).where(ProcessVersion.scenario_key == key)
                                .order_by(ProcessVersion.version)))


def default_refs(session: Session, key: str) -> tuple[str, str]:
    """What a designer most likely wants compared: the draft against the
    active version, else the active version against the one before it."""
    rows = versions(session, key)
    if not rows:
        raise NotFound(f"scenario {key!r} has no deployed version")
    active = next((v for v in rows if v.active), rows[-1])
    if draft_of(session, key) is not None:
        return str(active.version), DRAFT
    earlier = [v for v in rows if v.version < active.version]
    return str((earlier[-1] if earlier else active).version), str(active.version)


def side(session: Session, key: str, ref: str) -> Side:
    if ref == DRAFT:
        draft = draft_of(session, key)
        if draft is None:
            raise NotFound(f"scenario {key!r} has no draft")
        base = session.get(ProcessVersion, draft.base_version_id) if draft.base_version_id else None
        bundle = draft_bundle(session, key, draft.files, base)
        content, _problems = assemble(bundle, called_index(session, bundle))
        if content is None:
            raise InvalidData("the draft cannot be read as a process; fix its problems first", {})
        return Side(DRAFT, content.as_files(), content.metadata)
    if not ref.isdigit():
        raise InvalidData(f"{ref!r} is neither a version number nor the draft", {})
    version = session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == key,
                                                          ProcessVersion.version == int(ref)))
    if version is None:
        raise NotFound(f"scenario {key!r} has no version {ref}")
    return Side(ref, version.files, version.meta or {}, version.id)


def compare(session: Session, key: str, old_ref: str, new_ref: str) -> dict:
    """diff_files of the two sides, the metadata keys that changed, and
    `diagrams`: per changed BPMN file and side, its XML and the marks."""
    old, new = side(session, key, old_ref), side(session, key, new_ref)
    result = diff_files(old.files, new.files)
    result["metadata"] = {k: {"old": old.metadata.get(k), "new": new.metadata.get(k)}
                          for k in sorted(old.metadata.keys() | new.metadata.keys())
                          if k != "blocks" and old.metadata.get(k) != new.metadata.get(k)}
    result["old"], result["new"] = old.ref, new.ref
    result["diagrams"] = _diagrams(result["processes"], old, new)
    return result


def _diagrams(processes: list[dict], old: Side, new: Side) -> list[dict]:
    """New side first (what the designer is about to deploy), then the old
    side where something was removed or changed."""
    marks: dict[tuple[str, str], dict[str, str]] = {}
    for process in processes:
        for mark_side, wanted in (("new", ("added", "changed")), ("old", ("removed", "changed"))):
            picked = {i: m for i, m in process["marks"].items() if m in wanted}
            if picked:
                marks.setdefault((mark_side, process["file"]), {}).update(picked)
    diagrams = []
    for (mark_side, path), picked in sorted(marks.items(), key=lambda item: (item[0][0] != "new", item[0][1])):
        files = (new if mark_side == "new" else old).files.get("bpmn", {})
        if path in files:
            diagrams.append({"side": mark_side, "ref": (new if mark_side == "new" else old).ref,
                             "file": path, "xml": files[path], "marks": picked})
    return diagrams
