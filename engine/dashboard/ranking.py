"""The quarterly ranking of departments. Each department's score is the
weighted mean of the parts it has data for, each part on 0-100:

- on-time rate: work items completed by their due time / those with a due time;
- speed: 100 × (1 − mean share of the legal limit used), each item's share
  capped at 1, so a department is compared with its own limits, not with
  another department's;
- ratings: the mean stars (1-5) mapped to 0-100.

score = Σ weight × part / Σ weight, over the parts present: a department
without ratings yet (or without timed items) is scored on the rest. The
weights are the supervisor's (a row in ranking_weights; integers in percent
summing to 100); they and this formula are shown on the page."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from models import RankingWeights, utcnow

from .figures import Figures
from .ratings import DepartmentRatings

PARTS = ("on_time", "speed", "ratings")
DEFAULT_WEIGHTS = {"on_time": 40, "speed": 30, "ratings": 30}


@dataclass(frozen=True)
class Weights:
    on_time: int
    speed: int
    ratings: int

    def as_dict(self) -> dict[str, int]:
        return {part: getattr(self, part) for part in PARTS}


def validate(values: dict) -> Weights:
    """Whole percents 0-100 that sum to 100, or a ValueError saying what is wrong."""
    clean = {}
    for part in PARTS:
        value = values.get(part)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 100:
            raise ValueError(f"{part}: a whole number from 0 to 100")
        clean[part] = value
    if sum(clean.values()) != 100:
        raise ValueError(f"the weights sum to {sum(clean.values())}, not 100")
    return Weights(**clean)


def load_weights(session) -> Weights:
    row = session.get(RankingWeights, 1)
    return Weights(row.on_time, row.speed, row.ratings) if row else Weights(**DEFAULT_WEIGHTS)


def save_weights(session, values: dict, user_id: int | None) -> Weights:
    weights = validate(values)
    row = session.get(RankingWeights, 1) or RankingWeights(id=1)
    row.on_time, row.speed, row.ratings = weights.on_time, weights.speed, weights.ratings
    row.updated_by_id, row.updated_at = user_id, utcnow()
    session.add(row)
    return weights


def last_change(session):
    return session.scalar(select(RankingWeights).where(RankingWeights.id == 1))


@dataclass
class Standing:
    department_code: str
    name: str
    parts: dict[str, float | None] = field(default_factory=dict)  # each 0-100, None: no data
    score: float | None = None
    rank: int | None = None  # None: nothing to score on


def parts_of(figures: Figures, ratings: DepartmentRatings | None) -> dict[str, float | None]:
    rate = figures.on_time_rate
    return {"on_time": None if rate is None else 100 * rate,
            "speed": None if figures.used_share is None else 100 * (1 - figures.used_share),
            "ratings": ratings.score if ratings is not None and ratings.count else None}


def score(parts: dict[str, float | None], weights: Weights) -> float | None:
    present = [(getattr(weights, part), value) for part, value in parts.items() if value is not None]
    total = sum(weight for weight, _ in present)
    if not total:
        return None
    return sum(weight * value for weight, value in present) / total


def rank(figures: list[Figures], ratings: dict[str, DepartmentRatings], weights: Weights) -> list[Standing]:
    """Best first; equal scores share a rank (1, 2, 2, 4); departments with
    nothing to score on come last, unranked."""
    standings = []
    for f in figures:
        parts = parts_of(f, ratings.get(f.key))
        standings.append(Standing(f.key, f.name, parts, score(parts, weights)))
    scored = sorted((s for s in standings if s.score is not None), key=lambda s: (-round(s.score, 6), s.department_code))
    for position, standing in enumerate(scored, 1):
        previous = scored[position - 2] if position > 1 else None
        same = previous is not None and round(previous.score, 6) == round(standing.score, 6)
        standing.rank = previous.rank if same else position
    return scored + sorted((s for s in standings if s.score is None), key=lambda s: s.department_code)
