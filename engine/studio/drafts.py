"""A scenario's draft: its own files as the designer edits them in the
studio, validated on every save, deployed as a new process version.

Every function here is one command: the caller runs it inside one
`db.write()` transaction, and a refusal (an exception) writes nothing.
Saves are optimistically locked: the caller names the revision it edited
(0 when it edited the active version because there was no draft) and a
save over someone else's newer one is refused (DESIGN.md decision 5)."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import PurePosixPath

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import ProcessDraft, ProcessVersion, utcnow

from ..deployment import Deployed, deploy_bundles
from ..library import (KEY_PATTERN, METADATA_FILE, SHARED_FORMS_DIR, Bundle, bundle_from_files, default_metadata,
                       first_process_id)
from ..problems import Problem, ProcessFileError
from ..runtime.errors import Conflict, Forbidden, NotFound
from ..runtime.service import content_of
from ..validation import check_bundle, index_of
from ..xml_safety import MAX_FILE_BYTES
from .errors import DraftRefused, NotDeployable, StaleDraft
from .file_checks import kind_of, refusals
from .version_files import library_forms, metadata_text, own_files, scenario_root

EDITORS = ("designer", "admin")
REFUSED = "refused; nothing was saved"


@dataclass
class WorkingCopy:
    """What the studio shows for a scenario: its draft, or (revision 0, no
    draft yet) the active version's own files."""

    key: str
    files: dict[str, str]
    revision: int
    is_draft: bool
    base_version: ProcessVersion | None
    problems: list[dict] = field(default_factory=list)
    updated_by_name: str = ""
    updated_at: object = None


def require_editor(actor) -> None:
    if actor is None or getattr(actor, "role", None) not in EDITORS:
        raise Forbidden("changing processes needs the designer role")


def draft_of(session: Session, key: str) -> ProcessDraft | None:
    return session.scalar(select(ProcessDraft).where(ProcessDraft.scenario_key == key))


def active_version(session: Session, key: str) -> ProcessVersion | None:
    return session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == key,
                                                       ProcessVersion.active.is_(True)))


def working_copy(session: Session, key: str) -> WorkingCopy:
    draft = draft_of(session, key)
    if draft is not None:
        base = session.get(ProcessVersion, draft.base_version_id) if draft.base_version_id else None
        return WorkingCopy(key, dict(sorted(draft.files.items())), draft.revision, True, base, list(draft.problems or []),
                           draft.updated_by_name, draft.updated_at)
    version = active_version(session, key)
    if version is None:
        raise NotFound(f"no deployed scenario and no draft {key!r}")
    return WorkingCopy(key, own_files(session, version), 0, False, version)


def open_draft(session: Session, key: str, actor) -> ProcessDraft:
    """The scenario's draft, made from the active version's own files when
    there is none."""
    require_editor(actor)
    draft = draft_of(session, key)
    if draft is not None:
        return draft
    version = active_version(session, key)
    if version is None:
        raise NotFound(f"no deployed scenario {key!r}")
    files = own_files(session, version)
    return _insert(session, key, version, files, actor)


def save_files(session: Session, key: str, files: dict[str, str], revision: int, actor,
               upload: bool = False) -> ProcessDraft:
    """Write files (path inside the scenario folder -> text) into the draft,
    over those of the same path, and validate the whole draft. Files that
    may not enter a draft refuse the whole save; problems of the process
    (a condition that does not compile, a dangling flow) are kept on the
    draft, which cannot be deployed while it has any."""
    require_editor(actor)
    refused = refusals(files, upload=upload)
    if refused:
        raise DraftRefused(REFUSED, refused)
    draft = draft_of(session, key)
    if draft is None:
        if revision != 0:
            raise Conflict("the draft was deployed or discarded since you opened it; reload the page")
        version = active_version(session, key)
        if version is None:
            raise NotFound(f"no deployed scenario {key!r}")
        return _insert(session, key, version, {**own_files(session, version), **files}, actor)
    if draft.revision != revision:
        raise StaleDraft(draft.updated_by_name, draft.updated_at, draft.revision)
    return _write(session, key, draft, {**draft.files, **files}, actor)


def remove_file(session: Session, key: str, path: str, revision: int, actor) -> ProcessDraft:
    """Take a file out of the draft (a form or a decision table no longer
    used, a second diagram), and validate what is left: a formKey or a
    decisionRef that still names it becomes a problem on its element. The
    metadata and the diagram that defines the scenario's process stay."""
    draft = _draft_at(session, key, revision, actor)
    if path not in draft.files:
        raise NotFound(f"the draft of {key!r} has no file {path!r}")
    if path == METADATA_FILE or path == main_bpmn(draft.files):
        raise DraftRefused(REFUSED, [Problem(path, "", "the scenario's metadata and its main diagram stay in "
                                                       "every draft; replace them instead")])
    return _write(session, key, draft, {p: t for p, t in draft.files.items() if p != path}, actor)


def main_bpmn(files: dict[str, str]) -> str | None:
    """The diagram defining the process metadata.json names, else the first:
    the one the editor opens, and one a draft always keeps."""
    import json

    bpmn = sorted(p for p in files if p.endswith(".bpmn"))
    try:
        process_id = json.loads(files.get(METADATA_FILE) or "{}").get("process_id")
    except (ValueError, AttributeError):
        process_id = None
    return next((p for p in bpmn if process_id and f'id="{process_id}"' in files[p]), bpmn[0] if bpmn else None)


def _write(session: Session, key: str, draft: ProcessDraft, files: dict[str, str], actor) -> ProcessDraft:
    """The draft's new file set and its problems, one revision on."""
    problems = validate_files(session, key, files, _base(session, draft))
    # Compare-and-set: a concurrent save of the same revision makes this
    # update match no row (PostgreSQL; SQLite serializes writers anyway).
    done = session.execute(
        update(ProcessDraft).where(ProcessDraft.id == draft.id, ProcessDraft.revision == draft.revision)
        .values(files=dict(sorted(files.items())), problems=[p.as_dict() for p in problems],
                revision=draft.revision + 1, updated_by_id=actor.id, updated_by_name=_name(actor),
                updated_at=utcnow()).execution_options(synchronize_session=False))
    if done.rowcount != 1:
        session.expire(draft)
        raise StaleDraft(draft.updated_by_name, draft.updated_at, draft.revision)
    session.expire(draft)
    return draft


def upload_file(session: Session, key: str, filename: str, data: bytes, revision: int, actor) -> ProcessDraft:
    """One file from the designer's disk (the desktop modeler's .bpmn, a
    .dmn, a form's or the metadata's .json) into the draft, under the path
    it has in a scenario folder. A BPMN file replaces the draft's file that
    defines the same process, whatever the browser named the download
    (`restaurant (1).bpmn`)."""
    path = upload_path(filename)
    text = _upload_text(path, data)
    if kind_of(path) == "bpmn" and (process_id := first_process_id(text)):
        path = next((p for p, t in sorted(working_copy(session, key).files.items())
                     if p.endswith(".bpmn") and first_process_id(t) == process_id), path)
    return save_files(session, key, {path: text}, revision, actor, upload=True)


def upload_path(filename: str) -> str:
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    if name.endswith(".json") and name != METADATA_FILE:
        name = f"{SHARED_FORMS_DIR}/{name}"
    if kind_of(name) is None:
        raise DraftRefused(REFUSED,
                           [Problem(name or "?", "", "upload a .bpmn, .dmn or .json file")])
    return name


def _upload_text(path: str, data: bytes) -> str:
    if len(data) > MAX_FILE_BYTES:
        raise DraftRefused(REFUSED,
                           [Problem(path, "", f"the file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise DraftRefused(REFUSED,
                           [Problem(path, "", "the file is not UTF-8 text")]) from None


def start_scenario(session: Session, filename: str, data: bytes, actor, key: str | None = None) -> ProcessDraft:
    """A new scenario's draft from an uploaded BPMN file: the file and a
    metadata.json with defaults (names, category) to edit before deploying."""
    require_editor(actor)
    path = upload_path(filename)
    if kind_of(path) != "bpmn":
        raise DraftRefused(REFUSED,
                           [Problem(path, "", "a new scenario starts from a .bpmn file")])
    text = _upload_text(path, data)
    refused = refusals({path: text}, upload=True)
    if refused:
        raise DraftRefused(REFUSED, refused)
    process_id = first_process_id(text)
    if not process_id:
        raise DraftRefused(REFUSED, [Problem(path, "", "the file defines no bpmn:process")])
    key = key or process_id
    if not KEY_PATTERN.match(key):
        raise DraftRefused(REFUSED,
                           [Problem(path, "", f"scenario key {key!r} must be letters, digits, _ . -")])
    if draft_of(session, key) is not None or session.scalar(
            select(ProcessVersion.id).where(ProcessVersion.scenario_key == key).limit(1)) is not None:
        raise Conflict(f"scenario {key!r} already exists; upload the file into its draft instead")
    metadata = {**default_metadata(key, process_id), "notes": "started in the studio from an uploaded BPMN file"}
    files = {f"{key}.bpmn": text, METADATA_FILE: metadata_text(metadata)}
    return _insert(session, key, None, files, actor)


def discard_draft(session: Session, key: str, revision: int, actor) -> None:
    session.delete(_draft_at(session, key, revision, actor))


def deploy_draft(session: Session, key: str, revision: int, actor) -> Deployed:
    """The draft as the scenario's new active version, and the draft gone,
    in one transaction. Running cases stay on their version (DESIGN.md
    decision 9). A draft with any problem is refused."""
    draft = _draft_at(session, key, revision, actor)
    base = _base(session, draft)
    bundle = draft_bundle(session, key, draft.files, base)
    problems = _key_problems(bundle, key)
    try:
        if problems:
            raise ProcessFileError(problems)
        deployed = deploy_bundles(session, [bundle], actor)[0]
    except ProcessFileError as exc:
        raise NotDeployable("the draft has problems; fix them before deploying",
                           _relative(exc.problems, scenario_root(base, key))) from None
    session.delete(draft)
    return deployed


def validate_files(session: Session, key: str, files: dict[str, str],
                   base: ProcessVersion | None) -> list[Problem]:
    """Every problem of a draft's files as deployment would find them, the
    studio's lint rules included; files named by their path in the draft."""
    bundle = draft_bundle(session, key, files, base)
    problems = _key_problems(bundle, key) + check_bundle(bundle, called_index(session, bundle))[2]
    return _relative(problems, scenario_root(base, key))


def draft_bundle(session: Session, key: str, files: dict[str, str], base: ProcessVersion | None) -> Bundle:
    """The bundle a draft deploys as: its files under the scenario folder's
    display path (so an unchanged draft deploys as the same content), with
    the library's shared forms, as a folder on disk would be read."""
    shared = {form_key: (f"common/{SHARED_FORMS_DIR}/{form_key}.json", text)
              for form_key, text in library_forms(session).items()}
    return bundle_from_files(files, scenario_root(base, key), shared, key)


def called_index(session: Session, bundle: Bundle) -> dict:
    """The deployed processes the bundle calls (validation needs no others)."""
    called = sorted(bundle.calls - bundle.defines)
    versions = session.scalars(select(ProcessVersion).where(ProcessVersion.active.is_(True),
                                                            ProcessVersion.process_id.in_(called))) if called else []
    return index_of([bundle], {v.process_id: content_of(v) for v in versions})


def _key_problems(bundle: Bundle, key: str) -> list[Problem]:
    if bundle.key == key:
        return []
    return [Problem(METADATA_FILE, "key", f"the key is {bundle.key!r}; this draft belongs to scenario {key!r}")]


def _relative(problems: list[Problem], root: str) -> list[Problem]:
    """Problems on the draft's own files named by their path in the draft."""
    prefix = root + "/"
    return [Problem(p.file[len(prefix):], p.element, p.message) if p.file.startswith(prefix) else p
            for p in problems]


def _draft_at(session: Session, key: str, revision: int, actor) -> ProcessDraft:
    """The draft at the revision the caller saw, for a command on it."""
    require_editor(actor)
    draft = draft_of(session, key)
    if draft is None:
        raise NotFound(f"no draft of {key!r}")
    if draft.revision != revision:
        raise StaleDraft(draft.updated_by_name, draft.updated_at, draft.revision)
    return draft


def _base(session: Session, draft: ProcessDraft) -> ProcessVersion | None:
    return session.get(ProcessVersion, draft.base_version_id) if draft.base_version_id else None


def _insert(session: Session, key: str, version: ProcessVersion | None, files: dict[str, str], actor) -> ProcessDraft:
    problems = validate_files(session, key, files, version)
    draft = ProcessDraft(scenario_key=key, base_version_id=version.id if version else None, files=files,
                         problems=[p.as_dict() for p in problems], revision=1, updated_by_id=actor.id,
                         updated_by_name=_name(actor))
    session.add(draft)
    try:
        with session.begin_nested():
            session.flush()
    except IntegrityError:
        raise Conflict(f"someone opened a draft of {key!r} at the same moment; reload the page") from None
    return draft


def _name(actor) -> str:
    return getattr(actor, "display_name", "") or actor.username

