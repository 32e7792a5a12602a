"""The company's requests and the notices an applicant may read."""
from __future__ import annotations

from flask import abort, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine.enterprise import notices as en
from engine.enterprise import requests as er
from engine.runtime.errors import CommandError, NotFound
from models import Department, EnterpriseRequest, User, utcnow

from .. import get_db
from ..access import roles_required
from ..paging import page_of
from . import bp
from ..enterprise.commands import run_command
from .forms import RateForm, ReopenForm, RequestForm

NOTICES_ON_LIST = 5
PAGE_SIZE = 50


def _me(session) -> User:
    return session.get(User, current_user.id)


@bp.get("/requests")
@roles_required("applicant")
def requests():
    with get_db().read() as session:
        me = _me(session)
        query = select(EnterpriseRequest).where(er.applicant_filter(me))
        pager = page_of(session, query, PAGE_SIZE)
        rows = session.scalars(query.order_by(EnterpriseRequest.filed_at.desc(), EnterpriseRequest.id.desc())
                               .offset(pager.offset).limit(pager.size)).all()
        notices = en.visible_notices(session, me, NOTICES_ON_LIST)
        is_company = me.is_company
    return render_template("enterprise_portal/requests.html", rows=rows, notices=notices, is_company=is_company,
                           now=utcnow(), pager=pager)


@bp.route("/requests/new", methods=["GET", "POST"])
@roles_required("applicant")
def new_request():
    with get_db().read() as session:
        me = _me(session)
        if not me.is_company:
            return render_template("enterprise_portal/persons_only.html"), 403
        departments = er.departments_to_choose(session)
    form = RequestForm()
    english = str(get_locale()) == "en"
    form.department.choices = [("", _("不确定，由政务大厅分派"))] + [
        (d.code, d.name_en if english else d.name_zh) for d in departments]
    if form.validate_on_submit():
        try:
            with get_db().write() as session:
                req = er.file_request(session, current_user.id, form.kind.data, form.subject.data,
                                      form.description.data, form.department.data or None,
                                      form.case_reference.data or "")
                request_id, reference = req.id, req.reference
            flash(_("诉求已提交，编号 %(ref)s", ref=reference), "info")
            return redirect(url_for(".request_detail", request_id=request_id))
        except CommandError as exc:
            flash(_(exc.message), "error")
    return render_template("enterprise_portal/new.html", form=form), (422 if form.is_submitted() else 200)


@bp.get("/requests/<int:request_id>")
@roles_required("applicant")
def request_detail(request_id: int):
    with get_db().read() as session:
        req = _own(session, request_id)
        dept = session.get(Department, req.department_code) if req.department_code else None
    return render_template("enterprise_portal/show.html", req=req, dept=dept, now=utcnow(),
                           rate_form=RateForm(), reopen_form=ReopenForm())


@bp.post("/requests/<int:request_id>/rate")
@roles_required("applicant")
def rate(request_id: int):
    form = RateForm()
    if not form.validate_on_submit():
        _check_own(request_id)
        flash(_("请选择评价"), "error")
        return redirect(url_for(".request_detail", request_id=request_id))
    return _command(request_id, lambda session: er.rate(session, current_user.id, request_id, form.stars.data,
                                                        form.comment.data or ""), _("感谢您的评价"))


@bp.post("/requests/<int:request_id>/reopen")
@roles_required("applicant")
def reopen(request_id: int):
    form = ReopenForm()
    if not form.validate_on_submit():
        _check_own(request_id)
        flash(_("请说明不满意的原因"), "error")
        return redirect(url_for(".request_detail", request_id=request_id))
    return _command(request_id, lambda session: er.reopen(session, current_user.id, request_id, form.reason.data),
                    _("已请求重新办理，部门将在 3 个工作日内再次答复"))


@bp.get("/notices")
@roles_required("applicant")
def notices():
    with get_db().read() as session:
        rows = en.visible_notices(session, _me(session), 100)
    return render_template("enterprise_portal/notices.html", rows=rows)


@bp.get("/notices/<int:notice_id>")
@roles_required("applicant")
def notice(notice_id: int):
    with get_db().read() as session:
        try:
            item = en.load_visible(session, _me(session), notice_id)
        except NotFound:
            abort(404)
    return render_template("enterprise_portal/notice.html", notice=item)


def _own(session, request_id: int) -> EnterpriseRequest:
    try:
        return er.load_for_applicant(session, _me(session), request_id)
    except NotFound:
        abort(404)


def _check_own(request_id: int) -> None:
    with get_db().read() as session:
        _own(session, request_id)


def _command(request_id: int, run, done: str):
    return run_command(run, done, url_for(".request_detail", request_id=request_id))
