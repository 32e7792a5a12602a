"""What the case and task pages show, gathered in one place: the case row,
its open work, its history, and its data labelled with the form titles."""
from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select

from engine.runtime.case_data import case_data
from models import Case, CaseEvent, Department, ProcessVersion, WorkItem

DECISIONS = {"approve": ("准予", "Approved"), "correct": ("需补正", "Correction asked"),
             "reject": ("不予许可", "Refused")}
HIDDEN_KEYS = {"approvals", "approvals_history", "permits", "materials", "outcome", "corrections"}


@dataclass
class CaseView:
    case: Case
    version: ProcessVersion
    items: list[WorkItem]
    events: list[CaseEvent]
    data: dict
    labels: dict[str, dict]
    options: dict[str, dict[str, dict]]
    approvals: list[dict] = field(default_factory=list)
    departments: dict[str, Department] = field(default_factory=dict)

    def label(self, key: str, lang: str) -> str:
        title = self.labels.get(key)
        return (title.get(lang) or title.get("zh")) if title else key

    def fields(self, lang: str = "zh") -> list[tuple[str, object]]:
        """Top-level data for people: enum values by their titles, small
        objects and lists flattened."""
        rows = []
        for key, value in self.data.items():
            if key in HIDDEN_KEYS or key.startswith("_") or key not in self.labels:
                continue
            titles = self.options.get(key, {})

            def show(v):
                title = titles.get(str(v))
                return (title.get(lang) or title.get("zh")) if title else v

            if isinstance(value, dict):
                rows.append((key, "，".join(str(v) for v in value.values() if v not in (None, ""))))
            elif isinstance(value, list):
                rows.append((key, "、".join(str(show(v)) for v in value)))
            else:
                rows.append((key, show(value)))
        return rows


def _labels(runtime, session, version: ProcessVersion) -> tuple[dict, dict]:
    """Field titles and enum option titles from every form of the version."""
    compiled = runtime.compiled_by_version(session.connection(), version.id)
    labels: dict[str, dict] = {}
    options: dict[str, dict[str, dict]] = {}
    for form in compiled.forms.values():
        for f in form.fields():
            labels.setdefault(f["name"], f["title"])
            if f["options"]:
                options.setdefault(f["name"], {str(o["value"]): o for o in f["options"]})
    return labels, options


def _approvals(version: ProcessVersion, data: dict) -> list[dict]:
    names = {}
    for meta in [*(version.meta.get("blocks") or {}).values(), version.meta]:
        for approval in meta.get("approvals") or []:
            names[approval["key"]] = approval["name"]
    rows = []
    for key, record in (data.get("approvals") or {}).items():
        decision = record.get("decision")
        rows.append({"key": key, "name": names.get(key, {"zh": key, "en": key}),
                     "department": record.get("department", ""), "decision": decision,
                     "decision_text": DECISIONS.get(decision, (decision or "—", decision or "—")),
                     "licence_no": record.get("licence_no", ""), "reason": record.get("reason", ""),
                     "by": record.get("by", ""), "at": record.get("at", "")})
    return rows


def load(runtime, session, case: Case) -> CaseView:
    version = session.get(ProcessVersion, case.process_version_id)
    items = list(session.scalars(select(WorkItem).where(WorkItem.case_id == case.id).order_by(WorkItem.id)))
    events = list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id).order_by(CaseEvent.id)))
    data = case_data(runtime.peek_workflow(case))
    view = CaseView(case, version, items, events, data, *_labels(runtime, session, version))
    view.approvals = _approvals(version, data)
    view.departments = {d.code: d for d in session.scalars(select(Department))}
    return view
