"""The guide's pages: pick a scenario (or search by words such as 餐馆 or
诊所), answer its questions, read what applies. Answers travel in the query
string (GET): nothing is stored, a result can be bookmarked, and "apply
online" carries the answers into the application form."""
from flask import abort, current_app, render_template, request, url_for
from sqlalchemy import select

from engine.guide import GuideUnavailable, guide_for
from engine.runtime.errors import NotFound
from models import Department, ProcessVersion

from .. import get_db, get_runtime
from ..catalog import deployed_scenarios
from . import bp


def scenarios(q: str = "") -> list[ProcessVersion]:
    """What an applicant can apply for on its own (not a block that only
    runs inside a scenario)."""
    return [v for v in deployed_scenarios(q) if (v.meta or {}).get("standalone") is not False]


@bp.get("")
def index():
    q = request.args.get("q", "").strip()[:50]
    return render_template("guide/index.html", versions=scenarios(q), q=q)


@bp.get("/<scenario>")
def ask(scenario: str):
    runtime = get_runtime()
    with get_db().read() as session:
        try:
            guide = guide_for(runtime, session.connection(), scenario)
        except (NotFound, GuideUnavailable):
            abort(404)
        version = session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == scenario,
                                                              ProcessVersion.active.is_(True)))
        departments = {d.code: d for d in session.scalars(select(Department))}
    values, errors, outcome = {}, {}, None
    if request.args.get("answered"):
        raw = request.args.to_dict(flat=False)
        raw.pop("answered", None)
        values, errors = guide.questions.coerce(raw)
        if not errors:
            clean, errors = guide.questions.validate(values)
            if not errors:
                try:
                    outcome = guide.evaluate(clean, runtime.script_engine)
                except GuideUnavailable:
                    abort(404)
    apply_args = request.args.to_dict(flat=False) if outcome else {}
    apply_args.pop("answered", None)
    return render_template("guide/ask.html", version=version, guide=guide, fields=guide.questions.fields(),
                           values=values, errors=errors, outcome=outcome, departments=departments,
                           apply_args=apply_args, appointments_url=_appointments_url(scenario)), (422 if errors else 200)


def _appointments_url(scenario: str) -> str:
    """The booking page, once the appointments feature is there (预约办)."""
    if "appointments.index" not in current_app.view_functions:
        return ""
    return url_for("appointments.index", scenario=scenario)
