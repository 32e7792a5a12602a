"""Where a completed task's form data goes in the case data (DESIGN.md
decision 3; docs/process-authoring.md). Window tasks write at the top
level; a department's task writes under approvals.<permit>, so parallel
branches never share a key. New dict objects are built rather than
mutating in place: SpiffWorkflow's data copies are shallow."""
from datetime import datetime

from ..departments import WINDOW


def place(task_data: dict, clean: dict, *, department: str, permit_key: str, actor: str, at: datetime) -> None:
    if department == WINDOW:
        task_data.update(clean)
        return
    approvals = task_data.get("approvals") or {}
    entry = {**approvals.get(permit_key, {}), **clean,
             "department": department, "by": actor, "at": at.isoformat(timespec="seconds")}
    task_data["approvals"] = {**approvals, permit_key: entry}
