"""The supervisor's ratings table per department: ratings of the cases it
handled (count, average; excluded ratings do not count), its 差评
rectifications and the share of them with a callback recorded."""
from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from models import CaseEvent, Department, Rating, Rectification


@dataclass
class DepartmentSummary:
    code: str
    name_zh: str
    name_en: str
    ratings: int = 0
    average: float | None = None
    bad: int = 0
    called_back: int = 0

    @property
    def callback_rate(self) -> float | None:
        return self.called_back / self.bad if self.bad else None


def by_department(session) -> list[DepartmentSummary]:
    handled = (select(CaseEvent.case_id, CaseEvent.department_code)
               .where(CaseEvent.kind == "task_completed", CaseEvent.department_code != "").distinct().subquery())
    rated = session.execute(
        select(handled.c.department_code, func.count(Rating.id), func.avg(Rating.score))
        .join(Rating, Rating.case_id == handled.c.case_id).where(Rating.excluded.is_(False))
        .group_by(handled.c.department_code)).all()
    rects = session.execute(
        select(Rectification.department_code, func.count(Rectification.id), func.count(Rectification.callback_at))
        .where(Rectification.status != "annulled").group_by(Rectification.department_code)).all()
    names = {d.code: d for d in session.scalars(select(Department))}
    rows: dict[str, DepartmentSummary] = {}

    def row(code: str) -> DepartmentSummary:
        if code not in rows:
            dept = names.get(code)
            rows[code] = DepartmentSummary(code, dept.name_zh if dept else code, dept.name_en if dept else code)
        return rows[code]

    for code, count, average in rated:
        row(code).ratings, row(code).average = count, float(average) if average is not None else None
    for code, count, called in rects:
        row(code).bad, row(code).called_back = count, called
    return sorted(rows.values(), key=lambda r: r.code)
