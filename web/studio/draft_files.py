"""What the studio's editors and its simulation page share: the scenario's
working copy (its draft, or the active version's own files), one of its
files by path, and saving one file into the draft as a JSON call (the
pages' scripts post the editor's text with the revision they opened)."""
from __future__ import annotations

from flask import abort, jsonify, request
from flask_login import current_user

from engine.runtime.errors import CommandError, NotFound
from engine.studio import drafts
from engine.studio.file_checks import kind_of
from engine.xml_safety import MAX_FILE_BYTES

from .. import get_db
from .routes import refusal_message


def working_copy_or_404(key: str) -> drafts.WorkingCopy:
    with get_db().read() as session:
        try:
            return drafts.working_copy(session, key)
        except NotFound:
            abort(404)


def own_file_or_404(copy: drafts.WorkingCopy, path: str, kind: str) -> str:
    """The text of a file of the working copy; 404 for a path it does not
    hold or one of another kind (a BPMN file asked for as a form)."""
    if kind_of(path) != kind or path not in copy.files:
        abort(404)
    return copy.files[path]


def scenario_name(copy: drafts.WorkingCopy, lang: str) -> str:
    version = copy.base_version
    if version is None:
        return copy.key
    return (version.name_en if lang == "en" else version.name_zh) or copy.key


def json_body(**fields) -> dict:
    """The posted JSON's fields, each of the type given; 400 otherwise.
    Texts are held to the size a draft's file may have."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    values = {}
    for name, kind in fields.items():
        value = body.get(name)
        if not isinstance(value, kind) or isinstance(value, bool) and kind is int:
            abort(400)
        if isinstance(value, str) and len(value.encode("utf-8")) > MAX_FILE_BYTES:
            abort(413)
        values[name] = value
    return values


def save_one_file(key: str, path: str, text: str, revision: int):
    """Save into the draft (one command, one transaction). The answer: the
    new revision and the draft's problems, this file's apart; or the
    refusal with its code, message and problems (nothing saved)."""
    try:
        with get_db().write() as session:
            draft = drafts.save_files(session, key, {path: text}, revision, current_user)
            saved, problems = draft.revision, list(draft.problems or [])
    except CommandError as exc:
        return jsonify({**exc.as_dict(), "message": refusal_message(exc)}), exc.http_status
    return jsonify(revision=saved, problems=problems, file_problems=[p for p in problems if p.get("file") == path])
