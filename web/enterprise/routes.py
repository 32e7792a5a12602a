"""The staff side of 江汉政企通. Staff see only what engine/enterprise
lets them (their department's requests; the window also those awaiting
dispatch; supervisors and admins all); anything else is a 404."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import case, func, select
from sqlalchemy.orm import aliased

from engine.enterprise import notices as en
from engine.enterprise import requests as er
from engine.industries import INDUSTRIES
from engine.runtime.errors import CommandError, NotFound
from models import Department, EnterpriseEscalation, EnterpriseRequest, PolicyNotice, User, utcnow

from .. import get_db
from ..access import OVERSIGHT, STAFF, roles_required
from ..paging import page_of
from . import bp
from .commands import run_command
from .forms import ActionForm, AnswerForm, DepartmentForm, NoticeForm

PAGE_SIZE = 50
WAITING = ("dispatching", "filed")


def _me(session) -> User:
    return session.get(User, current_user.id)


@bp.get("")
@roles_required(*STAFF, *OVERSIGHT)
def index():
    show = request.args.get("show", "open")
    now = utcnow()
    with get_db().read() as session:
        me = _me(session)
        query = (select(EnterpriseRequest, Department).outerjoin(Department, Department.code == EnterpriseRequest.department_code)
                 .where(er.staff_filter(me)))
        if show == "open":
            query = query.where(EnterpriseRequest.status.in_(er.OPEN_STATUSES))
        elif show == "overdue":
            query = query.where(er.open_and_overdue(now))
        # Unsigned first, then by the deadline that runs now.
        stage = case((EnterpriseRequest.status.in_(WAITING), 0), (EnterpriseRequest.status == "signed", 1), else_=2)
        running_due = case((EnterpriseRequest.status.in_(WAITING), EnterpriseRequest.sign_due_at),
                           else_=EnterpriseRequest.answer_due_at)
        pager = page_of(session, query, PAGE_SIZE)
        rows = session.execute(query.order_by(stage, running_due, EnterpriseRequest.id)
                               .offset(pager.offset).limit(pager.size)).all()
        ids = [req.id for req, _dept in rows]
        escalated = dict(session.execute(
            select(EnterpriseEscalation.request_id, func.count()).where(EnterpriseEscalation.request_id.in_(ids))
            .group_by(EnterpriseEscalation.request_id)).all()) if ids else {}
    return render_template("enterprise/index.html", rows=rows, show=show, now=now, escalated=escalated,
                           waiting=WAITING, pager=pager)


@bp.get("/<int:request_id>")
@roles_required(*STAFF, *OVERSIGHT)
def show(request_id: int):
    now = utcnow()
    with get_db().read() as session:
        me = _me(session)
        req = _visible(session, me, request_id)
        people = _names(session, req)
        departments = er.departments_to_choose(session)
        dept_names = {d.code: d for d in session.scalars(select(Department))}
        escalations = session.scalars(select(EnterpriseEscalation).where(EnterpriseEscalation.request_id == req.id)
                                      .order_by(EnterpriseEscalation.id)).all()
        handler, dispatcher = er.is_handler(me, req), er.may_dispatch(me, req)
    choices = [(d.code, f"{d.code} {d.name_en if _lang() == 'en' else d.name_zh}") for d in departments
               if d.code != req.department_code]
    move = DepartmentForm()
    move.department.choices = [("", "—")] + choices
    return render_template("enterprise/show.html", req=req, now=now, people=people, dept_names=dept_names,
                           escalations=escalations, handler=handler, dispatcher=dispatcher, action=ActionForm(),
                           answer_form=AnswerForm(), move=move)


@bp.post("/<int:request_id>/sign")
@roles_required(*STAFF)
def sign(request_id: int):
    return _command(request_id, lambda session: er.sign(session, current_user.id, request_id), _("已签收"))


@bp.post("/<int:request_id>/answer")
@roles_required(*STAFF)
def answer(request_id: int):
    form = AnswerForm()
    if not form.validate_on_submit():
        flash(_("请填写答复内容"), "error")
        return redirect(url_for(".show", request_id=request_id))
    return _command(request_id, lambda session: er.answer(session, current_user.id, request_id, form.answer.data),
                    _("已答复，企业将收到通知"))


@bp.post("/<int:request_id>/transfer")
@roles_required(*STAFF)
def transfer(request_id: int):
    form = _department_form()
    return _command(request_id, lambda session: er.transfer(session, current_user.id, request_id,
                                                            form.department.data, form.reason.data), _("已转办"))


@bp.post("/<int:request_id>/dispatch")
@roles_required("clerk")
def dispatch(request_id: int):
    form = _department_form()
    return _command(request_id, lambda session: er.dispatch(session, current_user.id, request_id,
                                                            form.department.data), _("已分派"))


@bp.route("/notices", methods=["GET", "POST"])
@roles_required(*OVERSIGHT)
def notices():
    form = NoticeForm()
    form.industries.choices = [(code, _(zh)) for code, (zh, _en) in INDUSTRIES.items()]
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                with get_db().write() as session:
                    notice = en.publish_notice(session, current_user.id, form.title.data, form.body.data,
                                               form.audience.data, form.industries.data or [])
                    title = notice.title
                flash(_("已发布：%(title)s", title=title), "info")
                return redirect(url_for(".notices"))
            except CommandError as exc:
                flash(_(exc.message), "error")
        status = 422
    with get_db().read() as session:
        publisher = aliased(User)
        rows = session.execute(select(PolicyNotice, publisher.display_name)
                               .outerjoin(publisher, publisher.id == PolicyNotice.published_by_id)
                               .order_by(PolicyNotice.published_at.desc(), PolicyNotice.id.desc()).limit(100)).all()
        industries = en.industries_of(session, [n.id for n, _name in rows])
    return render_template("enterprise/notices.html", form=form, rows=rows, industries=industries), status


# ------------------------------------------------------------ helpers

def _lang() -> str:
    from flask_babel import get_locale

    return str(get_locale())


def _visible(session, me, request_id: int) -> EnterpriseRequest:
    try:
        return er.load_for_staff(session, me, request_id)
    except NotFound:
        abort(404)


def _department_form() -> DepartmentForm:
    form = DepartmentForm()
    form.department.choices = [(form.department.data or "", "")]  # the engine checks the department
    return form


def _command(request_id: int, run, done: str):
    # CSRF is checked app-wide (web/extensions.py csrf) before we get here.
    return run_command(run, done, url_for(".show", request_id=request_id))


def _names(session, req: EnterpriseRequest) -> dict[int, str]:
    ids = {i for i in (req.signed_by_id, req.answered_by_id, req.dispatched_by_id, req.transferred_by_id) if i}
    return dict(session.execute(select(User.id, User.display_name).where(User.id.in_(ids))).all()) if ids else {}
