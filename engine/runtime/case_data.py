"""The case's data as a person reads it: parallel branches each hold their
own copy of the data until they join, so the view merges what every
finished or ready task holds, in the order it happened (latest wins)."""
from copy import deepcopy

from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState


def case_data(workflow) -> dict:
    if workflow.is_completed() and workflow.last_task is not None:
        return deepcopy(workflow.last_task.data)
    tasks = [t for t in workflow.get_tasks(state=TaskState.COMPLETED | TaskState.READY)]
    merged: dict = {}
    for task in sorted(tasks, key=lambda t: t.last_state_change):
        DeepMerge.merge(merged, deepcopy(task.data))
    return merged
