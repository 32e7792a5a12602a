"""/studio/<key>/simulate: N generated cases run on the draft in a
throwaway database (engine/studio/draft_simulation.py), before it is
deployed; the page draws the flows taken and the waits per task on the
diagrams (web/static/studio-simulate.js). The real database is only read."""
from __future__ import annotations

from flask import abort, jsonify, render_template
from flask_babel import get_locale
from flask_babel import gettext as _

from engine.problems import ProcessFileError
from engine.studio import drafts
from engine.studio.draft_simulation import MAX_RUNS, simulate_draft

from .. import get_db, vendor
from ..access import roles_required
from . import EDITOR_ROLES, bp
from .draft_files import json_body, scenario_name, working_copy_or_404

DEFAULT_RUNS = 20
# A request waits for the run: well under a proxy's usual timeout.
TIME_LIMIT_SECONDS = 60.0


@bp.get("/<key>/simulate")
@roles_required(*EDITOR_ROLES)
def simulate_page(key: str):
    copy = working_copy_or_404(key)
    return render_template("studio/simulate.html", key=key, revision=copy.revision, is_draft=copy.is_draft,
                           name=scenario_name(copy, str(get_locale())), problems=copy.problems,
                           default_runs=DEFAULT_RUNS, max_runs=MAX_RUNS, casemap_ready=not vendor.missing())


@bp.post("/<key>/simulate")
@roles_required(*EDITOR_ROLES)
def simulate_run(key: str):
    body = json_body(runs=int, seed=int)
    if not 1 <= body["runs"] <= MAX_RUNS:
        abort(400)
    refused = _("草稿有问题，不能模拟；请先修正。")
    copy = working_copy_or_404(key)
    if copy.problems:  # found at its last save, named by path in the draft
        return jsonify(code="refused", message=refused, problems=copy.problems), 422
    with get_db().read() as session:
        bundle = drafts.draft_bundle(session, key, copy.files, copy.base_version)
    try:
        report = simulate_draft(get_db(), bundle, body["runs"], body["seed"], time_limit=TIME_LIMIT_SECONDS)
    except ProcessFileError as exc:  # what changed since (a called block's new version)
        return jsonify(code="refused", message=refused, problems=[p.as_dict() for p in exc.problems]), 422
    return jsonify(report)
