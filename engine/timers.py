"""BPMN timer events on the engine's clock and the legal calendar
(DESIGN.md decision 8).

SpiffWorkflow 3.2 evaluates a timer's expression (timeDate, timeDuration or
timeCycle, through the workflow's script engine, so ours: the restricted
evaluator) the first time the timer event is updated, i.e. when it starts
waiting, and keeps the result in the task's internal data ('event_value').
Each later `refresh_timers()` compares it with `datetime.now()`. We subclass
its three timer definitions (and let our parser build them) for two reasons:

* "now" is the engine's clock (engine/clock.py), so the sweep and the tests
  fire timers at an explicit moment; SpiffWorkflow reads the wall clock in a
  module we would otherwise have to patch for every caller;
* values are what our expressions produce: a timeDate may be a datetime from
  the working-time helpers (`add_working_days(now(), 3)`: three working days
  after the event started waiting, e.g. after the task a boundary timer sits
  on started), a date, or ISO text, and text without a zone is Beijing time,
  not the server's zone as SpiffWorkflow assumes. A timeDuration may be ISO
  text ('PT2H') or a timedelta.

`next_due(workflow)` is the earliest pending timer of a case: the runtime
writes it to `cases.next_timer_at` after every command, and the sweep
(engine/timer_jobs.py) fires what is due."""
from __future__ import annotations

import ast
import re
from datetime import date, datetime, time, timedelta, timezone

from SpiffWorkflow.bpmn.exceptions import WorkflowTaskException
from SpiffWorkflow.bpmn.specs.event_definitions.timer import (
    CycleTimerEventDefinition,
    DurationTimerEventDefinition,
    TimeDateEventDefinition,
    TimerEventDefinition,
)
from SpiffWorkflow.util.task import TaskState

from .clock import engine_now
from .workcalendar import BEIJING, add_working_days, add_working_hours, working_time_between

# Offered to every expression and script (engine/evaluator.py whitelist).
WORKING_TIME_HELPERS = {
    "now": engine_now,
    "add_working_days": add_working_days,
    "add_working_hours": add_working_hours,
    "working_time_between": working_time_between,
}


class TimerValueError(ValueError):
    pass


def moment(value) -> datetime:
    """A timeDate value as an aware UTC datetime."""
    if isinstance(value, datetime):
        found = value
    elif isinstance(value, date):
        found = datetime.combine(value, time(0, 0))
    elif isinstance(value, str):
        try:
            found = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
        except ValueError:
            raise TimerValueError(f"{value!r} is not an ISO 8601 date or time") from None
    else:
        raise TimerValueError(f"a timer date must be a datetime, a date or ISO text, not {type(value).__name__}")
    if found.tzinfo is None:
        found = found.replace(tzinfo=BEIJING)
    return found.astimezone(timezone.utc)


def duration_after(value, start: datetime) -> datetime:
    """The end of a timeDuration value started at `start`."""
    if isinstance(value, timedelta):
        return start + value
    if not isinstance(value, str):
        raise TimerValueError(f"a timer duration must be ISO text such as 'PT2H' or a timedelta, "
                              f"not {type(value).__name__}")
    try:
        parsed = TimerEventDefinition.parse_iso_duration(value)
    except Exception:  # noqa: BLE001 - SpiffWorkflow raises a bare Exception
        raise TimerValueError(f"{value!r} is not an ISO 8601 duration (e.g. 'PT2H', 'P3D')") from None
    return start + TimerEventDefinition.get_timedelta_from_start(parsed, start)


def _evaluate(definition, my_task):
    return my_task.workflow.script_engine.evaluate(my_task, definition.expression)


def _refuse(definition, my_task, exc: Exception):
    raise WorkflowTaskException(f"timer {definition.name!r}: {exc}", task=my_task, exception=exc) from exc


class ClockTimer:
    """What our three timer kinds share: when they are due."""

    def due_at(self, my_task) -> datetime | None:
        raise NotImplementedError

    def has_fired(self, my_task):
        due = self.due_at(my_task)
        if due is not None and due <= engine_now():
            my_task._set_internal_data(event_fired=True)
        return my_task._get_internal_data("event_fired", False)


class WorkingTimeDate(ClockTimer, TimeDateEventDefinition):
    def due_at(self, my_task) -> datetime:
        value = my_task._get_internal_data("event_value")
        if value is None:
            try:
                value = moment(_evaluate(self, my_task)).isoformat()
            except TimerValueError as exc:
                _refuse(self, my_task, exc)
            my_task._set_internal_data(event_value=value)
        return moment(value)


class WorkingDuration(ClockTimer, DurationTimerEventDefinition):
    def due_at(self, my_task) -> datetime:
        value = my_task._get_internal_data("event_value")
        if value is None:
            try:
                value = duration_after(_evaluate(self, my_task), engine_now()).isoformat()
            except TimerValueError as exc:
                _refuse(self, my_task, exc)
            my_task._set_internal_data(event_value=value)
        return moment(value)


class WorkingCycle(ClockTimer, CycleTimerEventDefinition):
    """R<n>/<duration> (from when it starts waiting) or R<n>/<start>/<duration>."""

    def _cycle(self, my_task) -> dict:
        value = my_task._get_internal_data("event_value")
        if value is None:
            expression = _evaluate(self, my_task)
            try:
                value = _parse_cycle(expression, engine_now())
            except (TimerValueError, ValueError, AttributeError) as exc:
                _refuse(self, my_task, TimerValueError(f"{expression!r} is not an ISO 8601 repeating interval "
                                                       f"such as 'R3/PT1H' ({exc})"))
            my_task._set_internal_data(event_value=value)
        return value

    def due_at(self, my_task) -> datetime | None:
        value = my_task._get_internal_data("event_value") or self._cycle(my_task)
        return moment(value["next"]) if value["cycles"] != 0 else None

    def cycle_complete(self, my_task):
        # SpiffWorkflow's, with the engine's clock; each fired cycle adds a
        # child (see CycleTimerEventDefinition.update_task).
        value = dict(self._cycle(my_task))
        ready = False
        if value["cycles"] != 0:
            due = moment(value["next"])
            if due <= engine_now():
                value["next"] = (due + timedelta(seconds=value["duration"])).isoformat()
                value["cycles"] -= 1
                ready = True
            my_task._set_internal_data(event_value=value)
        else:
            my_task.internal_data.pop("event_value", None)
            my_task.internal_data["event_fired"] = True
        return ready

    def has_fired(self, my_task):
        return my_task._get_internal_data("event_fired", False)


def _parse_cycle(expression, now: datetime) -> dict:
    if not isinstance(expression, str):
        raise TimerValueError(f"a timer cycle must be ISO text, not {type(expression).__name__}")
    parts = expression.strip().upper().replace("--", "/").lstrip("R").split("/")
    if len(parts) not in (2, 3):
        raise TimerValueError("expected R<n>/<duration> or R<n>/<start>/<duration>")
    cycles = int(parts[0]) if parts[0] else -1
    start = now if len(parts) == 2 else moment(parts[1])
    first = duration_after(parts[-1], start)
    if len(parts) == 2:
        start, first = first, duration_after(parts[-1], first)
    return {"cycles": cycles, "next": start.isoformat(), "duration": (first - start).total_seconds()}


# SpiffWorkflow's class -> ours (engine/parser.py builds ours).
CLOCK_TIMERS = {TimeDateEventDefinition: WorkingTimeDate, DurationTimerEventDefinition: WorkingDuration,
                CycleTimerEventDefinition: WorkingCycle}


def clock_timer(definition):
    cls = CLOCK_TIMERS.get(type(definition))
    return definition if cls is None else cls(definition.name, definition.expression,
                                              description=definition.description)


def waiting_timers(workflow):
    """(task, definition) of every timer event the case waits on,
    subprocesses included (they register with the top workflow)."""
    for task in list(workflow.event_manager.tasks.values()):
        definition = task.task_spec.event_definition
        if isinstance(definition, ClockTimer) and task.state == TaskState.WAITING:
            yield task, definition


def next_due(workflow) -> datetime | None:
    """The earliest moment one of the case's timers is due, or None."""
    return min((due for task, definition in waiting_timers(workflow)
                if (due := definition.due_at(task)) is not None), default=None)


def due_timers(workflow, now: datetime) -> list[str]:
    """Names of the timers due at `now` (for the case event)."""
    return sorted(definition.name or task.task_spec.name for task, definition in waiting_timers(workflow)
                  if (due := definition.due_at(task)) is not None and due <= now)


# ------------------------------------------------------------------ deploy checks

_ISO_LOOKING = re.compile(r"^(R\d*/)?P[\dYMWDTHS.,]+$|^\d{4}-\d{2}-\d{2}([T ][\d:.]+)?([+-]\d{2}:?\d{2}|Z)?$",
                          re.IGNORECASE)


def literal_problems(tag: str, source: str) -> list[str]:
    """A timer expression is Python: ISO text must be quoted ('PT2H'), and a
    quoted literal must be valid for its kind. Expressions with names are
    checked for syntax only (engine/evaluator.check_syntax) and run later."""
    text = (source or "").strip()
    if _ISO_LOOKING.match(text):
        return [f"{text} must be written as quoted text ('{text}'): timer expressions are Python"]
    try:
        value = ast.literal_eval(text)
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError):
        return []  # not a literal: an expression, evaluated when the timer starts
    try:
        if tag == "timeDate":
            moment(value)
        elif tag == "timeDuration":
            duration_after(value, datetime.now(timezone.utc))
        else:
            _parse_cycle(value, datetime.now(timezone.utc))
    except (TimerValueError, ValueError, AttributeError) as exc:
        return [str(exc)]
    return []
