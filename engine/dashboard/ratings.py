"""Ratings (好差评) per department for the dashboard and the ranking, behind
a small provider interface: the ratings table is built elsewhere, and the
lead wires its query here with `use_provider`. Until then there are no
ratings, and the pages say so.

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


_provider: RatingsProvider = no_ratings


def use_provider(provider: RatingsProvider | None) -> None:
    global _provider
    _provider = provider or no_ratings


def ratings_between(conn, start: datetime, end: datetime) -> dict[str, DepartmentRatings]:
    return _provider(conn, start, end)
