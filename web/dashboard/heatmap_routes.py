"""/dashboard/heatmap/<version>: a process version's diagrams with each
task coloured by how long its work items waited (ready to completion,
working hours); the page (bpmn-js, web/static/heatmap.js), its data as JSON
and as CSV."""
from __future__ import annotations

from flask import Response, abort, jsonify, render_template

from engine.dashboard import heatmap
from engine.dashboard.csv_export import csv_bytes
from flask_babel import gettext as _
from models import ProcessVersion

from .. import get_db, vendor
from ..access import OVERSIGHT, roles_required
from . import bp
from .formatting import hours_number
from .routes import lang


def _load(version_id: int):
    with get_db().read() as session:
        version = session.get(ProcessVersion, version_id)
        if version is None:
            abort(404)
        waits = heatmap.waits(session.connection(), version.id, lang())
        return version, waits, heatmap.diagrams(version, waits, lang())


@bp.get("/heatmap/<int:version_id>")
@roles_required(*OVERSIGHT)
def heatmap_page(version_id: int):
    version, waits, _diagrams = _load(version_id)
    return render_template("dashboard/heatmap.html", version=version, waits=waits,
                           name=(version.name_en if lang() == "en" else version.name_zh) or version.scenario_key,
                           casemap_ready=not vendor.missing())


@bp.get("/heatmap/<int:version_id>.json")
@roles_required(*OVERSIGHT)
def heatmap_json(version_id: int):
    _version, _waits, diagrams = _load(version_id)
    return jsonify({"diagrams": diagrams, "levels": heatmap.LEVELS})


@bp.get("/heatmap/<int:version_id>.csv")
@roles_required(*OVERSIGHT)
def heatmap_csv(version_id: int):
    version, waits, _diagrams = _load(version_id)
    header = [_("流程"), _("环节"), _("名称"), _("部门"), _("办结数"), _("平均等待（工时）"), _("中位等待（工时）"),
              _("90分位等待（工时）")]
    rows = [[w.process_id, w.task_spec, w.title, w.department_code, w.count, hours_number(w.mean_seconds),
             hours_number(w.median_seconds), hours_number(w.p90_seconds)] for w in waits]
    name = f"onewindow-heatmap-{version.scenario_key}-v{version.version}.csv"
    return Response(csv_bytes(header, rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})
