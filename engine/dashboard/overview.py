"""Everything the dashboard page shows for one quarter, gathered in one
read transaction: a handful of aggregate queries."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from . import figures, heatmap, ranking, ratings
from .quarters import Quarter


@dataclass
class Overview:
    quarter: Quarter
    now: datetime
    departments: list[figures.Figures]
    scenarios: list[figures.Figures]
    overdue_counts: dict[str, int]
    overdue: list[figures.OverdueItem]
    ratings: dict[str, ratings.DepartmentRatings]
    weights: ranking.Weights
    standings: list[ranking.Standing]
    versions: list

    @property
    def overdue_total(self) -> int:
        return sum(self.overdue_counts.values())


def load(session, quarter: Quarter, now: datetime, lang: str = "zh") -> Overview:
    conn = session.connection()
    departments = figures.department_figures(conn, quarter.start, quarter.end, lang)
    given = ratings.ratings_between(conn, quarter.start, quarter.end)
    weights = ranking.load_weights(session)
    return Overview(
        quarter=quarter, now=now, departments=departments,
        scenarios=figures.scenario_figures(conn, quarter.start, quarter.end, lang),
        overdue_counts=figures.overdue_counts(conn, now), overdue=figures.overdue_items(conn, now, lang),
        ratings=given, weights=weights, standings=ranking.rank(departments, given, weights),
        versions=heatmap.versions_with_data(conn))
