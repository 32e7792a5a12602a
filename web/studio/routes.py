"""/studio: every scenario with its versions, running cases and draft;
/studio/<key>: one scenario, its draft's problems and the buttons to open
the editor, upload a file into the draft, deploy or discard it, download
its files. Routes are thin: each write is one engine command in one
transaction (engine/studio/drafts.py)."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from engine.runtime.errors import CommandError, NotFound
from engine.studio import drafts, overview
from engine.studio.errors import DraftRefused, NotDeployable, StaleDraft

from .. import get_db
from ..access import roles_required
from . import EDITOR_ROLES, bp


def refusal_message(exc: CommandError) -> str:
    """What a person reads when a studio command is refused."""
    if isinstance(exc, StaleDraft):
        return _("草稿已被 %(who)s 于 %(when)s 修改（第 %(n)s 稿），为免覆盖他人的修改，本次未保存。请刷新页面后再操作。",
                 who=exc.by, when=_local(exc.at), n=exc.revision)
    if isinstance(exc, NotDeployable):
        return _("草稿有问题，不能发布；请先修正。")
    if isinstance(exc, DraftRefused):
        return _("文件被拒绝，未保存任何内容。")
    if isinstance(exc, NotFound):
        return _("没有该事项或草稿。")
    return _("操作未完成：%(why)s", why=exc.message)


def _local(moment) -> str:
    from .. import local_time

    return local_time(moment)


def flash_refusal(exc: CommandError) -> None:
    flash(refusal_message(exc), "error")
    for problem in getattr(exc, "problems", []):
        flash(str(problem), "error")


def revision_field() -> int:
    revision = request.form.get("revision", type=int)
    if revision is None:
        abort(400)
    return revision


@bp.get("")
@roles_required(*EDITOR_ROLES)
def index():
    with get_db().read() as session:
        rows = overview.scenarios(session)
    return render_template("studio/index.html", rows=rows)


@bp.get("/<key>")
@roles_required(*EDITOR_ROLES)
def scenario(key: str):
    with get_db().read() as session:
        rows = overview.scenarios(session, key)
        if not rows:
            abort(404)
        working = drafts.working_copy(session, key)
    return render_template("studio/scenario.html", row=rows[0], working=working, main_path=drafts.main_bpmn(working.files),
                           bpmn_files=[p for p in working.files if p.endswith(".bpmn")])


@bp.post("/new")
@roles_required(*EDITOR_ROLES)
def new_scenario():
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("请选择一个 .bpmn 文件"), "error")
        return redirect(url_for("studio.index"))
    key = (request.form.get("key") or "").strip() or None
    try:
        with get_db().write() as session:
            draft = drafts.start_scenario(session, upload.filename, upload.read(), current_user, key)
            key = draft.scenario_key
    except CommandError as exc:
        flash_refusal(exc)
        return redirect(url_for("studio.index"))
    flash(_("已新建事项 %(key)s 的草稿，请补全 metadata.json 后发布。", key=key), "success")
    return redirect(url_for("studio.scenario", key=key))


@bp.post("/<key>/upload")
@roles_required(*EDITOR_ROLES)
def upload(key: str):
    upload = request.files.get("file")
    revision = revision_field()
    if upload is None or not upload.filename:
        flash(_("请选择要上传的文件"), "error")
        return redirect(url_for("studio.scenario", key=key))
    try:
        with get_db().write() as session:
            draft = drafts.upload_file(session, key, upload.filename, upload.read(), revision, current_user)
            problems = len(draft.problems or [])
    except CommandError as exc:
        flash_refusal(exc)
        return redirect(url_for("studio.scenario", key=key))
    flash(_("已上传 %(name)s 到草稿", name=upload.filename), "success")
    if problems:
        flash(_("草稿有 %(n)s 个问题，修正后才能发布", n=problems), "error")
    return redirect(url_for("studio.scenario", key=key))


@bp.post("/<key>/deploy")
@roles_required(*EDITOR_ROLES)
def deploy(key: str):
    revision = revision_field()
    try:
        with get_db().write() as session:
            deployed = drafts.deploy_draft(session, key, revision, current_user)
    except CommandError as exc:
        flash_refusal(exc)
        return redirect(url_for("studio.scenario", key=key))
    if deployed.created:
        flash(_("已发布第 %(n)s 版；新受理的办件按此版本办理，已受理的办件仍按原版本办理。", n=deployed.version), "success")
    else:
        flash(_("草稿与第 %(n)s 版内容相同，未产生新版本；草稿已关闭。", n=deployed.version), "success")
    return redirect(url_for("studio.scenario", key=key))


@bp.post("/<key>/discard")
@roles_required(*EDITOR_ROLES)
def discard(key: str):
    revision = revision_field()
    try:
        with get_db().write() as session:
            drafts.discard_draft(session, key, revision, current_user)
    except CommandError as exc:
        flash_refusal(exc)
        return redirect(url_for("studio.scenario", key=key))
    flash(_("草稿已放弃"), "success")
    with get_db().read() as session:
        has_version = drafts.active_version(session, key) is not None
    return redirect(url_for("studio.scenario", key=key) if has_version else url_for("studio.index"))



@bp.post("/<key>/remove")
@roles_required(*EDITOR_ROLES)
def remove_file(key: str):
    revision, path = revision_field(), request.form.get("path", "")
    try:
        with get_db().write() as session:
            problems = len(drafts.remove_file(session, key, path, revision, current_user).problems or [])
    except CommandError as exc:
        flash_refusal(exc)
        return redirect(url_for("studio.scenario", key=key))
    flash(_("已从草稿中删除 %(name)s", name=path), "success")
    if problems:
        flash(_("草稿有 %(n)s 个问题，修正后才能发布", n=problems), "error")
    return redirect(url_for("studio.scenario", key=key))
