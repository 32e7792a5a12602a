"""Joins that stay correct when a process loops back through them.

SpiffWorkflow 3.2.0's unstructured join (inclusive and parallel gateways)
looks at every instance of the join in the whole task tree. In a loop such
as the correction round (补正) that goes back to a parallel split, two
things go wrong in the second round:

1. the inclusive join's readiness check stops at the first round's join
   instance, so in round two it fires as soon as one branch finishes; and
   its backwards search gives up after the first input of a merge, so even
   in round one it can fire while a branch that went through an exclusive
   merge (review, then on-site inspection) is still open;
2. the join's merge also merges the branches of earlier rounds, with
   shallow copies, so an old record (round one's "correct") can overwrite
   the new decision.

These subclasses look only at the current round (below the previous
instance of the same join on the path to the task), wait while any live
task can still reach the join, and deep-copy what they merge. Specs are never serialized (they are parsed from the version's
files), so the subclasses need no serializer registration."""
from copy import deepcopy

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.defaults import InclusiveGateway, ParallelGateway
from SpiffWorkflow.util.deep_merge import DeepMerge
from SpiffWorkflow.util.task import TaskState

LIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED


def _previous_instance(spec, my_task):
    """The nearest ancestor that is an earlier instance of this join."""
    start = my_task.parent
    while start is not None and start.task_spec is not spec:
        start = start.parent
    return start


def _merge_this_round(spec, my_task) -> None:
    start = _previous_instance(spec, my_task)
    my_task.data = deepcopy(my_task.data)
    others = [t for t in my_task.workflow.tasks.values()
              if t.task_spec == spec and t.has_state(TaskState.FINISHED_MASK)
              and not my_task.is_descendant_of(t) and (start is None or t.is_descendant_of(start))]
    for task in sorted(others, key=lambda t: t.last_state_change):
        DeepMerge.merge(my_task.data, deepcopy(task.parent.data))
        if task.has_state(TaskState.COMPLETED):
            task._drop_children(force=True)
    DeepMerge.merge(my_task.data, deepcopy(my_task.parent.data))


class RoundAwareParallelGateway(ParallelGateway):
    def _run_hook(self, my_task):
        _merge_this_round(self, my_task)
        return True


class RoundAwareInclusiveGateway(InclusiveGateway):
    def _check_threshold_unstructured(self, my_task):
        """Fire when no live token of this round can still reach the join.
        A token is a READY, WAITING or STARTED task (STARTED: a call activity
        under way); reachability follows the spec graph without passing
        through the join itself."""
        start = _previous_instance(self, my_task)
        roots = list(start.children) if start is not None else [my_task.workflow.task_tree]
        for root in roots:
            for task in my_task.workflow.get_tasks(first_task=root, end_at_spec=self.name):
                if task.task_spec is self or not task.has_state(LIVE):
                    continue
                if self._reachable_from(task.task_spec):
                    return False
        return True

    def _reachable_from(self, spec) -> bool:
        cache = self.__dict__.setdefault("_reach_cache", {})
        found = cache.get(spec.name)
        if found is None:
            found, seen, stack = False, {spec.name}, [spec]
            while stack and not found:
                for output in stack.pop().outputs:
                    if output is self:
                        found = True
                        break
                    if output.name not in seen:
                        seen.add(output.name)
                        stack.append(output)
            cache[spec.name] = found
        return found

    def _run_hook(self, my_task):
        _merge_this_round(self, my_task)
        matches, defaults = self._get_matching_outputs(my_task)
        if len(matches + defaults) == 0:
            raise WorkflowTaskException("No conditions satisfied on gateway", task=my_task)
        my_task._sync_children(matches or defaults, TaskState.FUTURE)
        for child in my_task.children:
            child.task_spec._predict(child, mask=TaskState.FUTURE | TaskState.PREDICTED_MASK)
        return True
