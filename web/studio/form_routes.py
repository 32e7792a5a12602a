"""/studio/<key>/form/<file>: a form file of the draft as JSON text beside
its preview, drawn by the server exactly as the clerk sees it
(web/form_preview.py) while the designer types; saved into the draft."""
from __future__ import annotations

from flask import jsonify, render_template
from flask_babel import get_locale

from ..access import roles_required
from ..form_preview import preview_form
from . import EDITOR_ROLES, bp
from .draft_files import json_body, own_file_or_404, save_one_file, scenario_name, working_copy_or_404


@bp.get("/<key>/form/<path:file>")
@roles_required(*EDITOR_ROLES)
def form_page(key: str, file: str):
    copy = working_copy_or_404(key)
    text = own_file_or_404(copy, file, "form")
    return render_template("studio/form.html", key=key, file=file, text=text, revision=copy.revision,
                           name=scenario_name(copy, str(get_locale())),
                           problems=[p for p in copy.problems if p.get("file") == file])


@bp.post("/<key>/form/<path:file>")
@roles_required(*EDITOR_ROLES)
def form_save(key: str, file: str):
    own_file_or_404(working_copy_or_404(key), file, "form")
    body = json_body(text=str, revision=int)
    return save_one_file(key, file, body["text"], body["revision"])


@bp.post("/form-preview")
@roles_required(*EDITOR_ROLES)
def form_preview():
    """{ok, html, errors, warnings} for the posted form text (nothing is saved)."""
    return jsonify(preview_form(json_body(text=str)["text"], str(get_locale())).as_dict())
