"""/studio/<key>/migrate: the scenario's running cases on older versions,
each with the engine's check, and moving the chosen ones to a newer version
(DESIGN.md decision 9): each case in its own transaction, refused with the
reason where a token would be stranded, recorded on the case."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.case_migration import migrate_cases
from engine.runtime.errors import NotFound
from engine.studio.migration_candidates import PAGE_SIZE, candidates, target_version

from .. import get_db, get_runtime
from ..access import roles_required
from ..paging import Page, requested_page
from . import EDITOR_ROLES, bp


@bp.get("/<key>/migrate")
@roles_required(*EDITOR_ROLES)
def migrate(key: str):
    with get_db().read() as session:
        try:
            target = target_version(session, key, request.args.get("to", type=int))
        except NotFound:
            abort(404)
        rows, total = candidates(session, target, requested_page())
        target_info = {"id": target.id, "number": target.version, "active": target.active}
    return render_template("studio/migrate.html", key=key, target=target_info, rows=rows,
                           pager=Page(requested_page(), PAGE_SIZE, total))


@bp.post("/<key>/migrate")
@roles_required(*EDITOR_ROLES)
def migrate_chosen(key: str):
    target_id = request.form.get("target", type=int)
    # The ticked cases, or with "all" every case the page showed as movable (each is checked again).
    chosen = [int(v) for v in request.form.getlist("movable" if request.form.get("all") else "case") if v.isdigit()]
    if target_id is None:
        abort(400)
    with get_db().read() as session:
        try:
            target = target_version(session, key, request.form.get("to", type=int))
        except NotFound:
            abort(404)
        if target.id != target_id:
            abort(400)
    if not chosen:
        flash(_("请先勾选要迁移的办件"), "error")
        return redirect(url_for("studio.migrate", key=key, to=target.version))
    expected = {case_id: request.form.get(f"expected_{case_id}", type=int) for case_id in chosen}
    results = migrate_cases(get_runtime(), chosen, target_id, current_user.id,
                            {k: v for k, v in expected.items() if v is not None})
    moved = [r for r in results if r["ok"]]
    if moved:
        flash(_("已将 %(n)s 件迁移到第 %(v)s 版：%(refs)s", n=len(moved), v=target.version,
                refs="、".join(r["result"]["reference"] for r in moved)), "success")
    for refused in (r for r in results if not r["ok"]):
        error = refused["error"]
        report = error.get("report") or {}
        reasons = "；".join(reason["message"] for reason in report.get("reasons", [])) or error.get("message", "")
        flash(_("%(ref)s 未迁移：%(why)s", ref=report.get("reference") or refused["case_id"], why=reasons), "error")
    return redirect(url_for("studio.migrate", key=key, to=target.version))
