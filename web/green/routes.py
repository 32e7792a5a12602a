"""The key-project list (supervisor and admin keep it) and the steward's
cases. Projects are deactivated, never deleted."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine.green_channel.projects import MAINTAINERS, STEWARD_ROLES, save_project, stewards
from engine.runtime.errors import CommandError, InvalidData
from models import Case, KeyProject, KeyProjectCase, ProcessVersion, User

from .. import get_db
from ..access import roles_required
from ..labels import PROJECT_LEVEL_NAMES
from . import bp
from .forms import KeyProjectForm


@bp.context_processor
def labels() -> dict:
    return {"PROJECT_LEVEL_NAMES": PROJECT_LEVEL_NAMES}


@bp.get("")
@roles_required(*MAINTAINERS)
def index():
    with get_db().read() as session:
        rows = session.execute(select(KeyProject, User.display_name).join(User, User.id == KeyProject.steward_id)
                               .order_by(KeyProject.active.desc(), KeyProject.id.desc())).all()
    return render_template("green/projects.html", rows=rows)


@bp.route("/new", methods=["GET", "POST"])
@roles_required(*MAINTAINERS)
def new():
    return _edit(None)


@bp.route("/<int:project_id>/edit", methods=["GET", "POST"])
@roles_required(*MAINTAINERS)
def edit(project_id: int):
    return _edit(project_id)


def _edit(project_id: int | None):
    with get_db().read() as session:
        project = session.get(KeyProject, project_id) if project_id else None
        if project_id and project is None:
            abort(404)
        choices = [(u.id, f"{u.display_name}（{u.department_code or _('营商办')}）") for u in stewards(session)]
    form = KeyProjectForm(obj=project)
    form.steward_id.choices = choices
    if form.validate_on_submit():
        try:
            save_project(get_db(), current_user.id, name=form.name.data, level=form.level.data,
                         applicant_key=form.applicant_key.data, steward_id=form.steward_id.data,
                         note=form.note.data or "", active=form.active.data, project_id=project_id)
        except InvalidData as exc:
            for field, message in exc.errors.items():
                if field in form:
                    form[field].errors = [*form[field].errors, message["zh"] if _is_zh() else message["en"]]
        except CommandError as exc:
            flash(exc.message, "error")
        else:
            flash(_("重点项目已保存"), "info")
            return redirect(url_for("green.index"))
    return render_template("green/project_form.html", form=form, project=project), (422 if form.errors else 200)


def _is_zh() -> bool:
    from flask_babel import get_locale

    return str(get_locale()) != "en"


@bp.post("/<int:project_id>/deactivate")
@roles_required(*MAINTAINERS)
def deactivate(project_id: int):
    with get_db().read() as session:
        project = session.get(KeyProject, project_id)
        if project is None:
            abort(404)
    try:
        save_project(get_db(), current_user.id, name=project.name, level=project.level,
                     applicant_key=project.applicant_key, steward_id=project.steward_id, note=project.note,
                     active=False, project_id=project.id)
        flash(_("已移出重点项目列表"), "info")
    except CommandError as exc:
        flash(exc.message, "error")
    return redirect(url_for("green.index"))


@bp.get("/my-cases")
@roles_required(*STEWARD_ROLES, "admin")
def my_cases():
    """The cases of the projects the signed-in user stewards now."""
    with get_db().read() as session:
        rows = session.execute(
            select(Case, KeyProject.name, ProcessVersion.name_zh, ProcessVersion.name_en)
            .join(KeyProjectCase, KeyProjectCase.case_id == Case.id)
            .join(KeyProject, KeyProject.id == KeyProjectCase.key_project_id)
            .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
            .where(KeyProject.steward_id == current_user.id)
            .order_by(Case.status != "running", Case.due_at, Case.id.desc()).limit(500)).all()
    return render_template("green/my_cases.html", rows=rows)
