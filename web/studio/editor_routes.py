"""/studio/<key>/bpmn: the BPMN modeler (bpmn-js with the Camunda
properties panel, web/static/studio-bpmn.js) on the draft, else on the
active version; Save posts the XML as JSON (CSRF in the X-CSRFToken
header) and gets the draft's new revision and problems back."""
from __future__ import annotations

from flask import abort, jsonify, render_template, request, url_for
from flask_babel import gettext as _

from engine.runtime.errors import NotFound
from engine.studio import drafts
from engine.studio.drafts import main_bpmn

from .. import get_db, vendor
from ..access import roles_required
from . import EDITOR_ROLES, bp
from .draft_files import save_one_file


@bp.get("/<key>/bpmn")
@roles_required(*EDITOR_ROLES)
def bpmn_editor(key: str):
    with get_db().read() as session:
        try:
            working = drafts.working_copy(session, key)
        except NotFound:
            abort(404)
    path = request.args.get("file") or main_bpmn(working.files)
    if path not in working.files or not path.endswith(".bpmn"):
        abort(404)
    data = {
        "key": key, "path": path, "xml": working.files[path], "revision": working.revision,
        "problems": working.problems, "saveUrl": url_for("studio.save_bpmn", key=key),
        "labels": {
            "saved": _("已保存为第 %(n)s 稿"), "savedWithProblems": _("已保存为第 %(n)s 稿，有 %(p)s 个问题，修正后才能发布"),
            "saving": _("正在保存…"), "failed": _("保存失败，请重试"), "noProblems": _("未发现问题"),
            "unsaved": _("有未保存的修改"), "draftRevision": _("草稿第 %(n)s 稿"), "loadFailed": _("流程图无法打开："), "otherFile": _("其他文件"),
        },
    }
    return render_template("studio/bpmn.html", key=key, working=working, path=path, data=data,
                           bpmn_files=sorted(p for p in working.files if p.endswith(".bpmn")),
                           studio_ready=not vendor.missing(vendor.STUDIO_FILES))


@bp.post("/<key>/bpmn")
@roles_required(*EDITOR_ROLES)
def save_bpmn(key: str):
    body = request.get_json(silent=True)
    if not isinstance(body, dict) or not isinstance(body.get("xml"), str) or not isinstance(body.get("path"), str) \
            or not body["path"].endswith(".bpmn") or not isinstance(body.get("revision"), int):
        return jsonify(code="bad_request", message=_("请求格式有误")), 400
    return save_one_file(key, body["path"], body["xml"], body["revision"])
