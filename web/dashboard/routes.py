"""/dashboard: the quarter's figures, overdue work, ratings and ranking;
/dashboard/weights: the ranking's formula; /dashboard/<table>.csv. The
supervisor's and the administrator's only."""
from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from engine.dashboard import overview, ranking
from engine.dashboard.csv_export import csv_bytes
from engine.dashboard.quarters import Quarter
from engine.dashboard.ratings import DepartmentRatings

from .. import get_db, get_runtime, vendor
from ..access import OVERSIGHT, roles_required
from . import bp, formatting, tables
from .forms import WeightsForm

QUARTERS_OFFERED = 8


def lang() -> str:
    return "en" if str(get_locale()) == "en" else "zh"


def chosen_quarter(now) -> Quarter:
    """?quarter=2026Q1, else the current one; a malformed label is a 400."""
    label = request.args.get("quarter")
    if not label:
        return Quarter.of(now)
    try:
        return Quarter.parse(label)
    except ValueError:
        abort(400, description=_("季度格式应为 2026Q1"))


def _overview() -> overview.Overview:
    now = get_runtime().clock()
    with get_db().read() as session:
        return overview.load(session, chosen_quarter(now), now, lang())


@bp.get("")
@roles_required(*OVERSIGHT)
def index():
    try:
        Quarter.parse(request.args["quarter"]) if request.args.get("quarter") else None
    except ValueError:
        flash(_("季度格式应为 2026Q1，已显示本季度"), "error")
        return redirect(url_for("dashboard.index"))
    view = _overview()
    offered = Quarter.of(view.now).recent(QUARTERS_OFFERED)
    if view.quarter not in offered:
        offered.append(view.quarter)
    return render_template("dashboard/index.html", view=view, quarters=offered, charts=_chart_data(view),
                           charts_ready=not vendor.missing(vendor.CHART_FILES),
                           no_ratings=not view.ratings)


def _chart_data(view: overview.Overview) -> dict:
    """What dashboard.js draws: plain numbers, the page's own figures."""
    timed = [f for f in view.departments if f.count]
    return {
        "departments": [f.name for f in timed],
        "on_time": [None if f.on_time_rate is None else round(100 * f.on_time_rate, 1) for f in timed],
        "median": [formatting.hours_number(f.median_seconds) for f in timed],
        "p90": [formatting.hours_number(f.p90_seconds) for f in timed],
        "scenarios": [f.name for f in view.scenarios],
        "scenario_median": [formatting.hours_number(f.median_seconds) for f in view.scenarios],
        "scenario_p90": [formatting.hours_number(f.p90_seconds) for f in view.scenarios],
        "ranked": [s.name for s in view.standings if s.score is not None],
        "scores": [round(s.score, 1) for s in view.standings if s.score is not None],
        "labels": {"on_time": _("按时办结率（%）"), "median": _("中位用时（工时）"), "p90": _("90分位用时（工时）"),
                   "score": _("综合得分")},
    }


@bp.get("/<any(departments, scenarios, overdue, ratings, ranking):table>.csv")
@roles_required(*OVERSIGHT)
def export(table: str):
    view = _overview()
    header, rows = tables.TABLES[table](view)
    name = f"onewindow-{table}-{view.quarter.label}.csv"
    return Response(csv_bytes(header, rows), mimetype="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}"'})


@bp.route("/weights", methods=["GET", "POST"])
@roles_required(*OVERSIGHT)
def weights():
    with get_db().read() as session:
        current = ranking.load_weights(session)
        changed = ranking.last_change(session)
    form = WeightsForm(data=current.as_dict())
    if form.validate_on_submit():
        values = {part: getattr(form, part).data for part in ranking.PARTS}
        try:
            with get_db().write() as session:
                ranking.save_weights(session, values, current_user.id)
        except ValueError:
            form.ratings.errors = [*form.ratings.errors,
                                   _("三项权重之和应为 100，现为 %(sum)s", sum=sum(values.values()))]
        else:
            flash(_("排名权重已保存"), "info")
            return redirect(url_for("dashboard.index", quarter=request.args.get("quarter") or None))
    status = 422 if form.errors else 200
    return render_template("dashboard/weights.html", form=form, current=current, changed=changed,
                           example=_example(current)), status


def _example(weights: ranking.Weights) -> dict:
    """A worked example of the formula with the current weights."""
    parts = {"on_time": 90.0, "speed": 60.0, "ratings": DepartmentRatings(10, 4.6).score}
    return {"parts": parts, "score": ranking.score(parts, weights),
            "without_ratings": ranking.score({**parts, "ratings": None}, weights)}
