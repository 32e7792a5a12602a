"""Ratings (好差评) per department for the dashboard and the ranking, behind
a small provider interface (tests may put their own with `use_provider`);
by default the ratings table: a rating counts for every department that
completed a task of its case, excluded ratings (a granted appeal) do not.

A provider is `fn(conn, start, end) -> {department code: DepartmentRatings}`
for the ratings given in [start, end)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Callable


@dataclass(frozen=True)
class DepartmentRatings:
    count: int  # ratings given
    average: float  # stars, 1 (非常不满意) to 5 (非常满意), SCENARIOS.md §4.1
    bad: int = 0  # 差评: 1 or 2 stars

    @property
    def score(self) -> float:
        """0-100: one star is 0, five stars is 100."""
        return (self.average - 1) / 4 * 100


RatingsProvider = Callable[[object, datetime, datetime], dict[str, DepartmentRatings]]


def no_ratings(conn, start: datetime, end: datetime) -> dict[str, DepartmentRatings]:
    return {}


def from_ratings_table(conn, start: datetime, end: datetime) -> dict[str, DepartmentRatings]:
    from sqlalchemy import case, func, select

    from models import CaseEvent, Rating

    handled = (select(CaseEvent.case_id, CaseEvent.department_code)
               .where(CaseEvent.kind == "task_completed", CaseEvent.department_code != "").distinct().subquery())
    rows = conn.execute(
        select(handled.c.department_code, func.count(Rating.id), func.avg(Rating.score),
               func.sum(case((Rating.score <= 2, 1), else_=0)))
        .join(Rating, Rating.case_id == handled.c.case_id)
        .where(Rating.excluded.is_(False), Rating.created_at >= start, Rating.created_at < end)
        .group_by(handled.c.department_code)).all()
    return {code: DepartmentRatings(int(count), float(average), int(bad or 0))
            for code, count, average, bad in rows if count}


_provider: RatingsProvider = from_ratings_table


def use_provider(provider: RatingsProvider | None) -> None:
    global _provider
    _provider = provider or from_ratings_table


def ratings_between(conn, start: datetime, end: datetime) -> dict[str, DepartmentRatings]:
    return _provider(conn, start, end)
