"""The case page (everyone who may see the case) and the task page (the
department that holds the task): read the projections, act through the
runtime, show conflicts and form errors without losing what was typed."""
from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required
from sqlalchemy import select

from engine.file_store import VIDEO_MAX_BYTES, UploadRefused
from engine.runtime.errors import CommandError, Conflict, Forbidden, InvalidData, NotFound
from engine.task_checks import RECORDING_PURPOSE
from models import User, WorkItem

from .. import get_db, get_files, get_runtime, vendor
from ..access import STAFF, load_visible_case, roles_required
from ..form_view import posted
from . import bp, casemap, view_model


@bp.url_value_preprocessor
def allow_recordings(endpoint, _values):
    """A task form may carry a video inspection recording, bigger than the
    app's request limit: raised for task posts here, because URL value
    preprocessors run before the CSRF check reads the body. Each file is
    still held to engine/file_store.py's own limit for its kind."""
    if endpoint == "cases.task" and request.method == "POST":
        request.max_content_length = VIDEO_MAX_BYTES + 1024 * 1024


@bp.context_processor
def casemap_files():
    """Whether bpmn-js was copied in by `make install`: without it the
    case map says so instead of loading missing scripts."""
    return {"casemap_ready": not vendor.missing()}


@bp.get("/cases/<int:case_id>")
@login_required
def show(case_id: int):
    with get_db().read() as session:
        case = load_visible_case(session, case_id)
        view = view_model.load(get_runtime(), session, case)
    return render_template("cases/show.html", view=view)


@bp.get("/cases/<int:case_id>/map.json")
@login_required
def map_json(case_id: int):
    """The case map's data (web/cases/casemap.py); who may see the case page
    may see its map, anyone else gets a 404."""
    with get_db().read() as session:
        case = load_visible_case(session, case_id)
        data = casemap.build(get_runtime(), session, case)
    response = jsonify(data)
    response.headers["Cache-Control"] = "no-store"
    return response


def _task_context(session, case_id: int, task_id: str):
    case = load_visible_case(session, case_id)
    item = session.scalar(select(WorkItem).where(WorkItem.case_id == case.id, WorkItem.task_id == task_id))
    if item is not None and item.department_code != current_user.department_code:
        abort(404)  # another department's task: not even its existence is shown
    view = view_model.load(get_runtime(), session, case)
    form = None
    if item is not None:
        compiled = get_runtime().compiled_by_version(session.connection(), case.process_version_id)
        form = compiled.forms.get(item.form_key) if item.form_key else compiled.forms.get("#" + item.task_spec)
    return view, item, form


@bp.route("/cases/<int:case_id>/tasks/<task_id>", methods=["GET", "POST"])
@roles_required(*STAFF)
def task(case_id: int, task_id: str):
    with get_db().read() as session:
        view, item, form = _task_context(session, case_id, task_id)
    if item is None:
        if request.method == "POST":
            # A stale page: let the runtime say who completed it meanwhile.
            try:
                get_runtime().complete_task(case_id, task_id, {}, current_user.id,
                                            request.form.get("seen_version", type=int))
            except (Conflict, NotFound, Forbidden) as exc:
                flash(exc.message, "error")
                return render_template("cases/show.html", view=view), 409
        flash(_("该环节已办结或已不在本部门待办中"), "error")
        return redirect(url_for("cases.show", case_id=case_id))
    values, errors, status = {}, {}, 200
    seen_version = view.case.version
    if request.method == "POST":
        seen_version = request.form.get("seen_version", type=int)
        raw = posted(request.form)
        values, errors = form.coerce(raw) if form is not None else ({}, {})
        try:
            values.update(_save_recordings(form, view.case.id))
        except UploadRefused as exc:
            errors[exc.field] = {"zh": exc.zh, "en": exc.en}
        if not errors:
            try:
                get_runtime().complete_task(case_id, task_id, values, current_user.id, seen_version)
            except InvalidData as exc:
                errors, status = exc.errors, 422
            except Conflict as exc:
                flash(exc.message, "error")
                status = 409
            except (Forbidden, NotFound):
                abort(404)
            except CommandError as exc:
                flash(exc.message, "error")
                status = 500 if exc.code == "process_error" else 400
            else:
                flash(_("已提交：%(task)s", task=item.title_zh), "info")
                return redirect(url_for("queue.index"))
        else:
            status = 422
        if status == 409:
            with get_db().read() as session:  # show the fresh state, keep what was typed
                view, item, form = _task_context(session, case_id, task_id)
            if item is None:
                return render_template("cases/show.html", view=view), 409
    fields = form.fields() if form is not None else []
    return render_template("cases/task.html", view=view, item=item, fields=fields, values=values,
                           errors=errors, seen_version=seen_version, colleagues=_colleagues(),
                           staff_options=_department_staff()), status


def _save_recordings(form, case_id: int) -> dict:
    """Store the files of the form's "recording" fields (video inspection)
    as this case's videos; the values are their ids. The runtime then puts
    the server's SHA-256 of each into the record (engine/task_checks.py)."""
    saved = {}
    for field in form.fields() if form is not None else []:
        upload = request.files.get(field["name"]) if field["widget"] == "recording" else None
        if upload is None or not upload.filename:
            continue
        try:
            blob = get_files().save(upload.stream, upload.filename, kind="video")
        except UploadRefused as exc:
            exc.field = field["name"]
            raise
        with get_db().write() as session:
            saved[field["name"]] = get_files().record(session, blob, current_user.id, RECORDING_PURPOSE,
                                                      case_id=case_id).id
    return saved


def _department_staff() -> list:
    """(username, display name) of the active staff of one's department:
    whom a task may be handed to, whom a "staff" field may name."""
    with get_db().read() as session:
        return session.execute(select(User.username, User.display_name).where(
            User.department_code == current_user.department_code, User.active.is_(True),
            User.role.in_(STAFF)).order_by(User.username)).all()


def _colleagues() -> list:
    return [row for row in _department_staff() if row.username != current_user.username]
