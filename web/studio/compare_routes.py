"""/studio/<key>/compare: what changed between two versions of a scenario,
or between the active version and the draft (before it is deployed): the
elements added, removed and changed, listed and coloured on the diagrams
(engine/studio/compare.py, engine/studio/version_diff.py)."""
from __future__ import annotations

from flask import abort, jsonify, render_template, request, url_for

from engine.runtime.errors import CommandError, NotFound
from engine.studio import compare as comparing

from .. import get_db, vendor
from ..access import roles_required
from . import EDITOR_ROLES, bp
from .routes import refusal_message


def _refs(session, key: str) -> tuple[str, str]:
    old, new = comparing.default_refs(session, key)
    return request.args.get("from") or old, request.args.get("to") or new


@bp.get("/<key>/compare")
@roles_required(*EDITOR_ROLES)
def compare(key: str):
    with get_db().read() as session:
        try:
            old, new = _refs(session, key)
            result = comparing.compare(session, key, old, new)
        except NotFound:
            abort(404)
        except CommandError as exc:
            return render_template("studio/compare.html", key=key, error=refusal_message(exc), refs=[],
                                   result=None, old=None, new=None), 422
        refs = [str(v.version) for v in comparing.versions(session, key)]
        if comparing.draft_of(session, key) is not None:
            refs.append(comparing.DRAFT)
    return render_template("studio/compare.html", key=key, result=result, old=old, new=new, refs=refs, error=None,
                           diagrams_url=url_for("studio.compare_diagrams", key=key, **{"from": old, "to": new}),
                           viewer_ready=not vendor.missing())


@bp.get("/<key>/compare.json")
@roles_required(*EDITOR_ROLES)
def compare_diagrams(key: str):
    """The changed diagrams with their marks, for web/static/studio-compare.js."""
    with get_db().read() as session:
        try:
            old, new = _refs(session, key)
            result = comparing.compare(session, key, old, new)
        except CommandError as exc:
            return jsonify(code=exc.code, message=refusal_message(exc)), exc.http_status
    return jsonify(old=old, new=new, diagrams=result["diagrams"])
