"""The start page (deployed scenarios) and the health endpoint."""
from flask import jsonify, render_template
from sqlalchemy import func, select, text

from models import Case, ProcessVersion

from .. import get_db
from . import bp


@bp.get("/")
def index():
    with get_db().read() as session:
        versions = session.scalars(select(ProcessVersion).where(ProcessVersion.active.is_(True))
                                   .order_by(ProcessVersion.category, ProcessVersion.scenario_key)).all()
        running = dict(session.execute(select(Case.scenario_key, func.count())
                                       .where(Case.status == "running").group_by(Case.scenario_key)).all())
    return render_template("main/index.html", versions=versions, running=running)


@bp.get("/health")
def health():
    try:
        with get_db().read() as session:
            session.execute(text("SELECT 1"))
            deployed = session.scalar(select(func.count()).select_from(ProcessVersion)
                                      .where(ProcessVersion.active.is_(True)))
    except Exception as exc:  # the health check reports, never raises
        return jsonify(status="error", database=str(exc.__class__.__name__)), 503
    return jsonify(status="ok", database="ok", deployed_processes=deployed)
