"""/studio/<key>/dmn/<file>: a decision table of the draft in dmn-js's
modeler (web/static/studio-dmn-page.js); saving posts the XML, which the
draft checks like any file (no DOCTYPE, a DMN root) and then validates
with the whole draft: a table SpiffWorkflow cannot parse, or a cell the
restricted evaluator refuses (engine/dmn_lint.py), is a problem shown on
the page."""
from __future__ import annotations

from flask import render_template
from flask_babel import get_locale

from .. import vendor
from ..access import roles_required
from . import EDITOR_ROLES, bp
from .draft_files import json_body, own_file_or_404, save_one_file, scenario_name, working_copy_or_404

DMN_EDITOR_FILES = ("studio/studio-dmn.js", "studio/dmn-js/dmn-js-decision-table.css")


@bp.get("/<key>/dmn/<path:file>")
@roles_required(*EDITOR_ROLES)
def dmn_page(key: str, file: str):
    copy = working_copy_or_404(key)
    xml = own_file_or_404(copy, file, "dmn")
    return render_template("studio/dmn.html", key=key, file=file, xml=xml, revision=copy.revision,
                           name=scenario_name(copy, str(get_locale())), editor_ready=not vendor.missing(DMN_EDITOR_FILES),
                           problems=[p for p in copy.problems if p.get("file") == file])


@bp.post("/<key>/dmn/<path:file>")
@roles_required(*EDITOR_ROLES)
def dmn_save(key: str, file: str):
    own_file_or_404(working_copy_or_404(key), file, "dmn")
    body = json_body(xml=str, revision=int)
    return save_one_file(key, file, body["xml"], body["revision"])
