"""Pre-review pages, for the clerks of the comprehensive window (CK) only."""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine import online_applications as applications
from engine.departments import WINDOW
from engine.runtime.errors import CommandError, InvalidData, NotFound
from models import OnlineApplication, ProcessVersion, User

from .. import get_db, get_runtime
from ..access import roles_required
from . import bp


def _window_only() -> None:
    if current_user.department_code != WINDOW:
        abort(403)


@bp.get("")
@roles_required("clerk")
def index():
    _window_only()
    with get_db().read() as session:
        rows = applications.queue(session)
        names = dict(session.execute(select(ProcessVersion.scenario_key, ProcessVersion.name_zh)
                                     .where(ProcessVersion.active.is_(True))).all())
        people = dict(session.execute(select(User.id, User.display_name)
                                      .where(User.id.in_({r.applicant_id for r in rows}))).all()) if rows else {}
    return render_template("prereview/index.html", rows=rows, names=names, people=people)


def _show(application_id: int, status: int = 200):
    runtime = get_runtime()
    with get_db().read() as session:
        row = session.get(OnlineApplication, application_id)
        if row is None or row.status == "draft":
            abort(404)  # a draft is the applicant's alone
        try:
            reqs = applications.requirements(runtime, session.connection(), row.scenario_key, row.data)
            version, _form = runtime.intake_form(session.connection(), row.scenario_key)
        except NotFound:
            abort(404)
        files = applications.files_of(session, row.id)
        applicant = session.get(User, row.applicant_id)
    return render_template("prereview/show.html", application=row, version=version, fields=reqs.form.fields(),
                           values=row.data or {}, errors={}, materials=reqs.materials, required=reqs.required,
                           files=files, applicant=applicant, states=reqs.states(files)), status


@bp.get("/<int:application_id>")
@roles_required("clerk")
def show(application_id: int):
    _window_only()
    return _show(application_id)


@bp.post("/<int:application_id>/accept")
@roles_required("clerk")
def accept(application_id: int):
    _window_only()
    try:
        result = applications.accept(get_runtime(), application_id, current_user.id,
                                     int(request.form.get("seen_version", "0") or 0))
    except NotFound:
        abort(404)
    except InvalidData as exc:
        flash(_("申报内容未通过校验，请退回申请人修改：%(n)s 处错误", n=len(exc.errors)), "error")
        return _show(application_id, 422)
    except CommandError as exc:
        flash(exc.message, "error")
        return redirect(url_for("prereview.show", application_id=application_id))
    flash(_("已受理，办件编号 %(ref)s", ref=result.reference), "info")
    return redirect(url_for("window.receipt", case_id=result.case_id))


@bp.post("/<int:application_id>/return")
@roles_required("clerk")
def send_back(application_id: int):
    _window_only()
    reasons = request.form.get("reasons", "").strip()
    if not reasons:
        flash(_("请写明退回原因"), "error")
        return _show(application_id, 422)
    try:
        applications.return_to_applicant(get_db(), application_id, current_user.id, reasons,
                                         int(request.form.get("seen_version", "0") or 0))
    except NotFound:
        abort(404)
    except CommandError as exc:
        flash(exc.message, "error")
        return redirect(url_for("prereview.show", application_id=application_id))
    flash(_("已退回申请人"), "info")
    return redirect(url_for("prereview.index"))
