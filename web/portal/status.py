"""The applicant's case status (/my/cases/<id>): steps with promised dates,
the history they need, and the correction notice answered online: the
applicant uploads what was asked and fills the supply form, which completes
the supply task (marked onewindow:applicant in the correction block) so the
case resumes."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale, gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine import applicant_status
from engine.file_store import UploadRefused
from engine.runtime.errors import CommandError, InvalidData
from engine.workcalendar import BEIJING
from models import Case, StoredFile, utcnow

from .. import get_db, get_files, get_runtime
from ..access import roles_required
from ..form_view import posted
from . import bp

SUPPLY_PURPOSE = "correction"


def _own_case(session, case_id: int) -> Case:
    case = session.scalar(select(Case).where(Case.id == case_id, Case.applicant_id == current_user.id))
    if case is None:
        abort(404)
    return case


def _render(case_id: int, values: dict | None = None, errors: dict | None = None, status: int = 200):
    with get_db().read() as session:
        case = _own_case(session, case_id)
        view = applicant_status.load(get_runtime(), session, case)
        files = list(session.scalars(select(StoredFile).where(StoredFile.case_id == case.id,
                                                              StoredFile.owner_id == current_user.id)
                                     .order_by(StoredFile.id)))
    if values is None and view.task is not None:
        values = {"supplied_on": utcnow().astimezone(BEIJING).date().isoformat(), "complete": True}
    return render_template("portal/case.html", view=view, files=files, values=values or {}, errors=errors or {},
                           fields=view.task.form.fields() if view.task and view.task.form else []), status


@bp.get("/cases/<int:case_id>")
@roles_required("applicant")
def case(case_id: int):
    return _render(case_id)


@bp.post("/cases/<int:case_id>/supply")
@roles_required("applicant")
def supply(case_id: int):
    """Store the uploaded files on the case, then complete the supply task
    as the applicant; the uploaded names join the list of what was supplied."""
    with get_db().read() as session:
        case = _own_case(session, case_id)
        view = applicant_status.load(get_runtime(), session, case)
    if view.task is None:
        flash(_("该办件目前不需要您补正"), "error")
        return redirect(url_for("portal.case", case_id=case_id))
    lang = str(get_locale())
    names = []
    for upload in request.files.getlist("file"):
        if not upload or not upload.filename:
            continue
        try:
            blob = get_files().save(upload.stream, upload.filename)
        except UploadRefused as exc:
            flash(f"{upload.filename}: {exc.en if lang == 'en' else exc.zh}", "error")
            continue
        with get_db().write() as session:
            get_files().record(session, blob, current_user.id, SUPPLY_PURPOSE, case_id=case_id)
        names.append(blob.filename)
    raw = posted(request.form)
    form = view.task.form
    values, errors = form.coerce(raw) if form is not None else ({}, {})
    if names and "supplied" in (form.schema.get("properties") or {} if form else {}):
        values["supplied"] = [*values.get("supplied", []), *names]
    if not errors:
        try:
            get_runtime().complete_task(case_id, view.task.item.task_id, values, current_user.id)
        except InvalidData as exc:
            errors = exc.errors
        except CommandError as exc:
            flash(exc.message, "error")
            return redirect(url_for("portal.case", case_id=case_id))
        else:
            flash(_("补正材料已提交，办件继续办理"), "info")
            return redirect(url_for("portal.case", case_id=case_id))
    return _render(case_id, values, errors, 422)
