"""The applicant's home: their own cases, newest first, and their online
applications not yet accepted (drafts, submitted, returned)."""
from flask import render_template
from flask_login import current_user
from sqlalchemy import select

from models import Case, OnlineApplication, ProcessVersion, Rating

from .. import get_db
from ..access import roles_required
from . import bp


@bp.get("")
@roles_required("applicant")
def home():
    with get_db().read() as session:
        rows = session.execute(
            select(Case, ProcessVersion.name_zh, ProcessVersion.name_en)
            .join(ProcessVersion, ProcessVersion.id == Case.process_version_id)
            .where(Case.applicant_id == current_user.id)
            .order_by(Case.created_at.desc()).limit(200)).all()
        rated = set(session.scalars(select(Rating.case_id).where(Rating.case_id.in_([c.id for c, _, _ in rows]))))
        pending = session.execute(
            select(OnlineApplication, ProcessVersion.name_zh, ProcessVersion.name_en)
            .join(ProcessVersion, (ProcessVersion.scenario_key == OnlineApplication.scenario_key)
                  & ProcessVersion.active.is_(True))
            .where(OnlineApplication.applicant_id == current_user.id, OnlineApplication.status != "accepted")
            .order_by(OnlineApplication.updated_at.desc()).limit(50)).all()
    return render_template("portal/home.html", rows=rows, rated=rated, pending=pending)
