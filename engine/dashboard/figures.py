"""The dashboard's figures for one period, each one aggregate query:
per department (work items completed: ready to completion, against the
item's legal limit), per scenario (cases closed: start to close, against
the promise), and the open work past its due time. Times are working
seconds on the legal calendar, computed when the item or case ended
(engine/runtime/history.py)."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, func, select

from models import Case, CaseDuration, Department, ProcessVersion, WorkItem, WorkItemHistory

from ..runtime.history import CLOSED_BY_OUTCOME, working_seconds
from .percentiles import percentiles

HISTORY, DURATIONS = WorkItemHistory.__table__, CaseDuration.__table__
OVERDUE_LISTED = 200  # the overdue list shows the longest overdue first, this many at most


@dataclass
class Figures:
    key: str
    name: str
    count: int = 0  # items completed (cases closed) in the period
    with_due: int = 0  # of those, with a due time
    on_time: int = 0
    mean_seconds: float | None = None
    median_seconds: float | None = None
    p90_seconds: float | None = None
    used_share: float | None = None  # mean share of the legal limit used (capped at 1); items only

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.with_due if self.with_due else None


def _on_time_sums(table):
    return (func.count().label("count"), func.count(table.c.on_time).label("with_due"),
            func.coalesce(func.sum(case((table.c.on_time.is_(True), 1), else_=0)), 0).label("on_time"),
            func.avg(table.c.working_seconds).label("mean_seconds"))


def department_figures(conn, start: datetime, end: datetime, lang: str = "zh") -> list[Figures]:
    """Every department, with the figures of its work items completed in
    [start, end) (zero counts where none)."""
    where = [HISTORY.c.outcome == "completed", HISTORY.c.ended_at >= start, HISTORY.c.ended_at < end]
    share = case((HISTORY.c.allowed_seconds > 0,
                  case((HISTORY.c.working_seconds >= HISTORY.c.allowed_seconds, 1.0),
                       else_=HISTORY.c.working_seconds * 1.0 / HISTORY.c.allowed_seconds)))
    sums = {row.department_code: row for row in conn.execute(
        select(HISTORY.c.department_code, *_on_time_sums(HISTORY), func.avg(share).label("used_share"))
        .where(*where).group_by(HISTORY.c.department_code))}
    spread = percentiles(conn, HISTORY.c.working_seconds, [HISTORY.c.department_code], where)
    result = []
    for dept in conn.execute(select(Department.code, Department.name_zh, Department.name_en)
                             .order_by(Department.code)):
        row = sums.get(dept.code)
        figures = Figures(dept.code, dept.name_en if lang == "en" else dept.name_zh)
        if row is not None:
            _fill(figures, row, spread.get((dept.code,)))
            figures.used_share = _float(row.used_share)
        result.append(figures)
    return result


def scenario_figures(conn, start: datetime, end: datetime, lang: str = "zh") -> list[Figures]:
    """Every scenario with a case completed or rejected in [start, end)."""
    where = [DURATIONS.c.status.in_(CLOSED_BY_OUTCOME), DURATIONS.c.closed_at >= start,
             DURATIONS.c.closed_at < end]
    rows = conn.execute(select(DURATIONS.c.scenario_key, *_on_time_sums(DURATIONS))
                        .where(*where).group_by(DURATIONS.c.scenario_key)).all()
    spread = percentiles(conn, DURATIONS.c.working_seconds, [DURATIONS.c.scenario_key], where)
    names = scenario_names(conn, lang)
    result = []
    for row in rows:
        figures = Figures(row.scenario_key, names.get(row.scenario_key, row.scenario_key))
        _fill(figures, row, spread.get((row.scenario_key,)))
        result.append(figures)
    return sorted(result, key=lambda f: f.key)


def scenario_names(conn, lang: str = "zh") -> dict[str, str]:
    """The name of each scenario, from its active (else latest) version."""
    names = {}
    for key, zh, en in conn.execute(select(ProcessVersion.scenario_key, ProcessVersion.name_zh,
                                           ProcessVersion.name_en)
                                    .order_by(ProcessVersion.active, ProcessVersion.id)):
        names[key] = (en if lang == "en" else zh) or key
    return names


def _fill(figures: Figures, row, spread: dict | None) -> None:
    figures.count, figures.with_due, figures.on_time = row.count, row.with_due, int(row.on_time)
    figures.mean_seconds = _float(row.mean_seconds)
    if spread:
        figures.median_seconds, figures.p90_seconds = spread[50], spread[90]


def _float(value) -> float | None:
    return None if value is None else float(value)


@dataclass
class OverdueItem:
    case_id: int
    reference: str
    scenario_key: str
    department_code: str
    title: str
    claimed_by: str
    due_at: datetime
    overdue_seconds: int | None  # working time since the due time


def overdue_counts(conn, now: datetime) -> dict[str, int]:
    """Open work items past their due time, per department."""
    return dict(conn.execute(select(WorkItem.department_code, func.count())
                             .where(WorkItem.due_at < now).group_by(WorkItem.department_code)).all())


def overdue_items(conn, now: datetime, lang: str = "zh", limit: int = OVERDUE_LISTED) -> list[OverdueItem]:
    rows = conn.execute(select(WorkItem.case_id, Case.reference, Case.scenario_key, WorkItem.department_code,
                               WorkItem.title_zh, WorkItem.title_en, WorkItem.claimed_by_name, WorkItem.due_at)
                        .join(Case, Case.id == WorkItem.case_id).where(WorkItem.due_at < now)
                        .order_by(WorkItem.due_at, WorkItem.id).limit(limit))
    return [OverdueItem(r.case_id, r.reference, r.scenario_key, r.department_code,
                        (r.title_en if lang == "en" and r.title_en else r.title_zh), r.claimed_by_name, r.due_at,
                        working_seconds(r.due_at, now)) for r in rows]
