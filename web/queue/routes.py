"""A department's queue: its open work items, filtered, sorted by due time,
paged; claim and release. Built from the work_items projection only."""
from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from engine.runtime.errors import CommandError
from models import Case, ProcessVersion, WorkItem, utcnow

from .. import get_db, get_runtime
from ..access import STAFF, roles_required
from ..paging import page_of
from . import bp

PAGE_SIZE = 25
SOON = timedelta(days=2)


@bp.get("/queue")
@roles_required(*STAFF)
def index():
    dept = current_user.department_code
    scenario = request.args.get("scenario", "")
    show = request.args.get("show", "all")
    due = request.args.get("due", "")
    key_only = request.args.get("key") == "1"
    now = utcnow()
    query = (select(WorkItem, Case.reference, Case.applicant_name, Case.scenario_key, Case.key_project)
             .join(Case, Case.id == WorkItem.case_id).where(WorkItem.department_code == dept))
    if scenario:
        query = query.where(Case.scenario_key == scenario)
    if show == "mine":
        query = query.where(WorkItem.claimed_by_id == current_user.id)
    elif show == "unclaimed":
        query = query.where(WorkItem.claimed_by_id.is_(None))
    if key_only:
        query = query.where(Case.key_project.is_(True))
    if due == "overdue":
        query = query.where(WorkItem.due_at < now)
    elif due == "soon":
        query = query.where(WorkItem.due_at >= now, WorkItem.due_at < now + SOON)
    with get_db().read() as session:
        pager = page_of(session, query, PAGE_SIZE)
        # Key projects (绿色通道) first, then by due time.
        rows = session.execute(query.order_by(Case.key_project.desc(), WorkItem.due_at.is_(None), WorkItem.due_at,
                                              WorkItem.id)
                               .limit(pager.size).offset(pager.offset)).all()
        active = session.execute(select(ProcessVersion.scenario_key, ProcessVersion.name_zh, ProcessVersion.name_en)
                                 .where(ProcessVersion.active.is_(True))).all()
    names = {key: zh for key, zh, _ in active}
    names_en = {key: en for key, _, en in active}
    return render_template("queue/index.html", rows=rows, total=pager.total, pager=pager, now=now,
                           scenario=scenario, show=show, due=due, key_only=key_only, names=names,
                           names_en=names_en)


@bp.post("/cases/<int:case_id>/tasks/<task_id>/claim")
@roles_required(*STAFF)
def claim(case_id: int, task_id: str):
    return _claim(case_id, task_id, claim=True)


@bp.post("/cases/<int:case_id>/tasks/<task_id>/release")
@roles_required(*STAFF)
def release(case_id: int, task_id: str):
    return _claim(case_id, task_id, claim=False)


@bp.post("/cases/<int:case_id>/tasks/<task_id>/assign")
@roles_required(*STAFF)
def assign(case_id: int, task_id: str):
    runtime = get_runtime()
    to = request.form.get("to", "").strip()
    try:
        runtime.assign(case_id, task_id, current_user.id, to)
        flash(_("已转交给 %(name)s", name=to), "info")
    except CommandError as exc:
        flash(exc.message, "error")
    return redirect(url_for("queue.index"))


def _claim(case_id: int, task_id: str, claim: bool):
    runtime = get_runtime()
    try:
        (runtime.claim if claim else runtime.release)(case_id, task_id, current_user.id)
        flash(_("已领取") if claim else _("已退回部门队列"), "info")
    except CommandError as exc:
        flash(exc.message, "error")
    target = request.form.get("next", "")
    return redirect(target if target.startswith("/") and not target.startswith("//") else url_for("queue.index"))
