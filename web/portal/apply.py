"""网上申报: the applicant fills the same merged form as the window's
(rendered from the active version's intake form by forms/_fields.html),
uploads each material, saves a draft at every post (nothing typed is lost,
even with errors) and submits to the window's pre-review queue."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user

from engine import online_applications as applications
from engine.file_store import UploadRefused
from engine.runtime.errors import CommandError, NotFound
from models import OnlineApplication

from .. import get_db, get_files, get_runtime
from ..access import roles_required
from ..form_view import posted
from . import bp

FILE_FIELD = "file."


def _uploads() -> list[tuple[str, object]]:
    """(material key, FileStorage) for every file chosen on the page."""
    return [(name[len(FILE_FIELD):], f) for name, f in request.files.items(multi=True)
            if name.startswith(FILE_FIELD) and f and f.filename]


def _page(application: OnlineApplication | None, scenario: str, values: dict, errors: dict, missing=(),
          status: int = 200):
    runtime = get_runtime()
    with get_db().read() as session:
        try:
            version, _form = runtime.intake_form(session.connection(), scenario)
            reqs = applications.requirements(runtime, session.connection(), scenario, values or None)
        except NotFound:
            abort(404)
        files = applications.files_of(session, application.id) if application else {}
    editable = application is None or application.status in applications.EDITABLE
    return render_template("portal/apply.html", application=application, version=version,
                           fields=reqs.form.fields(), values=values, errors=errors, materials=reqs.materials,
                           required=reqs.required, files=files, missing=list(missing), editable=editable), status


def _intake_form(scenario: str):
    """The active version's intake form (the window's own), or a 404."""
    with get_db().read() as session:
        try:
            _version, form = get_runtime().intake_form(session.connection(), scenario)
        except NotFound:
            abort(404)
    if form is None:
        abort(404)
    return form


@bp.get("/apply/<scenario>")
@roles_required("applicant")
def apply(scenario: str):
    """A new application; the guide's answers (query string) fill their fields."""
    values, _errors = _intake_form(scenario).coerce(request.args.to_dict(flat=False))
    return _page(None, scenario, {k: v for k, v in values.items() if k in request.args}, {})


@bp.post("/apply/<scenario>")
@roles_required("applicant")
def create(scenario: str):
    values, _errors = _intake_form(scenario).coerce(posted(request.form))
    with get_db().write() as session:
        application = applications.save_draft(session, current_user.id, scenario, values)
        application_id = application.id
    return _save_and_maybe_submit(application_id)


@bp.route("/applications/<int:application_id>", methods=["GET", "POST"])
@roles_required("applicant")
def application(application_id: int):
    with get_db().read() as session:
        try:
            row = applications.own_application(session, application_id, current_user.id)
        except NotFound:
            abort(404)
    if request.method == "GET":
        return _page(row, row.scenario_key, row.data or {}, {})
    if row.status not in applications.EDITABLE:
        flash(_("该申报已提交，不能再修改"), "error")
        return redirect(url_for("portal.application", application_id=row.id))
    values, _errors = _intake_form(row.scenario_key).coerce(posted(request.form))
    with get_db().write() as session:
        try:
            applications.save_draft(session, current_user.id, row.scenario_key, values,
                                    applications.own_application(session, row.id, current_user.id))
        except CommandError as exc:
            flash(exc.message, "error")
            return redirect(url_for("portal.application", application_id=row.id))
    return _save_and_maybe_submit(row.id)


def _save_and_maybe_submit(application_id: int):
    """Store the chosen files (each checked on its own: a refused file
    never loses the others or the form), then submit when asked."""
    lang = str(get_locale())
    refused = []
    for key, upload in _uploads():
        with get_db().write() as session:
            row = applications.own_application(session, application_id, current_user.id)
            try:
                applications.attach(session, get_files(), row, key, upload.stream, upload.filename, current_user.id)
            except UploadRefused as exc:
                refused.append(f"{upload.filename}: {exc.en if lang == 'en' else exc.zh}")
    for message in refused:
        flash(message, "error")
    if request.form.get("action") != "submit":
        flash(_("草稿已保存"), "info")
        return redirect(url_for("portal.application", application_id=application_id))
    with get_db().write() as session:
        row = applications.own_application(session, application_id, current_user.id)
        try:
            applications.submit(session, get_runtime(), row)
        except applications.NotSubmittable as exc:
            failed = exc
        else:
            failed = None
    if failed is not None:
        with get_db().read() as session:
            row = applications.own_application(session, application_id, current_user.id)
        return _page(row, row.scenario_key, row.data or {}, failed.errors, failed.missing, 422)
    flash(_("已提交，请等待窗口预审"), "info")
    return redirect(url_for("portal.application", application_id=application_id))


@bp.post("/applications/<int:application_id>/files/<int:file_id>/remove")
@roles_required("applicant")
def remove_file(application_id: int, file_id: int):
    with get_db().write() as session:
        try:
            row = applications.own_application(session, application_id, current_user.id)
            applications.detach(session, row, file_id)
        except NotFound:
            abort(404)
        except CommandError as exc:
            flash(exc.message, "error")
    return redirect(url_for("portal.application", application_id=application_id))
