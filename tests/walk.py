"""Walking a case through the real runtime in tests: find an open work
item by its BPMN id, answer its form with generated valid data (fixing the
values that choose the path), complete it as a member of its department,
and drop the in-memory workflow cache after every step so that the next
step restores the case from the database (save-and-restore between steps).

A task of a shared block done by the calling department (lane `* 调用部门`,
engine/call_sites.py) may be open several times at once, once per call
site: such items are named `<BPMN id>:<permit>`, e.g.
`Task_OnsiteInspection:fire`.

A case that waits on a timer (the video block's rectification period) is
walked on a Clock: `wait_for_timer()` moves it to the timer's moment and
fires the timer through the sweep's job, as the sweeper would. Walks and
simulations that reach a timer or a deadline counted in working days run
from fixed dates (WALK_START, SIM_START) whose statutory calendar data
exists, never from the wall clock: chinesecalendar 1.11.0 knows up to 2026,
and a period counted from today may run into a year without data."""
from __future__ import annotations

import json
import random
from datetime import datetime, timedelta

from sqlalchemy import select

from engine.runtime.case_data import case_data
from engine.runtime.service import CommandResult, Runtime
from engine.simulation.actors import demo_actor
from engine.simulation.answers import answer
from engine.timer_jobs import fire_due_timers
from engine.workcalendar import BEIJING
from models import Case, WorkItem

WALK_START = datetime(2026, 3, 2, 10, 0, tzinfo=BEIJING)  # a Monday
SIM_START = datetime(2026, 3, 2, 9, 0, tzinfo=BEIJING)


class Clock:
    """The runtime's clock, moved by the test."""

    def __init__(self, now: datetime):
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def on_clock(runtime: Runtime, at: datetime = WALK_START) -> Runtime:
    """The runtime, its clock set to `at` and moved by the walk."""
    runtime.clock = Clock(at)
    return runtime


class Walker:
    def __init__(self, runtime: Runtime, case_id: int, seed: int = 1, restore_between_steps: bool = True):
        self.runtime = runtime
        self.restore_between_steps = restore_between_steps
        self.case_id = case_id
        self.rng = random.Random(seed)
        self.last: CommandResult | None = None

    def open_items(self) -> list[WorkItem]:
        with self.runtime.db.read() as session:
            return list(session.scalars(select(WorkItem).where(WorkItem.case_id == self.case_id)
                                        .order_by(WorkItem.id)))

    def open_tasks(self) -> set[str]:
        return {self.label(item) for item in self.open_items()}

    def label(self, item: WorkItem) -> str:
        return f"{item.task_spec}:{item.permit}" if item.task_spec in self.caller_tasks() else item.task_spec

    def compiled(self):
        case = self.case()
        with self.runtime.db.read() as session:
            return self.runtime.compiled_by_version(session.connection(), case.process_version_id)

    def caller_tasks(self) -> set[str]:
        """BPMN ids of the tasks that live in per-call-site copies of a block."""
        if not hasattr(self, "_caller_tasks"):
            self._caller_tasks = {info.bpmn_id for info in self.compiled().user_tasks.values() if "@" in info.process_id}
        return self._caller_tasks

    def case(self) -> Case:
        with self.runtime.db.read() as session:
            return session.get(Case, self.case_id)

    def form_schema(self, item: WorkItem) -> dict:
        compiled = self.compiled()
        form = compiled.forms.get(item.form_key) if item.form_key else compiled.forms.get("#" + item.task_spec)
        return form.schema if form is not None else {}

    def item(self, task_spec: str) -> WorkItem:
        items = [i for i in self.open_items() if self.label(i) == task_spec]
        assert len(items) == 1, f"expected one open {task_spec}, open: {sorted(self.open_tasks())}"
        return items[0]

    def answer_for(self, item: WorkItem, fixed: dict) -> dict:
        staff = [demo_actor(item.department_code), demo_actor(item.department_code, second=True)]
        return answer(self.form_schema(item), fixed, self.rng, staff=staff, now=self.runtime.clock())

    def complete(self, task_spec: str, actor: str | None = None, **fixed) -> CommandResult:
        item = self.item(task_spec)
        data = self.answer_for(item, fixed)
        self.last = self.runtime.complete_task(self.case_id, item.task_id, data,
                                               actor or demo_actor(item.department_code))
        if self.restore_between_steps:
            self.runtime.workflows.clear()  # next step restores from the database
        return self.last

    def wait_for_timer(self) -> datetime:
        """Let the case's next timer come due: a minute before it the sweep
        fires nothing; at its moment the sweep's timer job fires it and the
        case moves on. The runtime's Clock moves there too."""
        due = self.case().next_timer_at
        assert due is not None, f"the case waits on no timer; open: {sorted(self.open_tasks())}"
        assert isinstance(self.runtime.clock, Clock), "walk timers on a Clock (tests.walk.on_clock)"
        assert fire_due_timers(self.runtime.db, due - timedelta(minutes=1), self.runtime) == 0
        self.runtime.clock.now = due
        assert fire_due_timers(self.runtime.db, due, self.runtime) == 1
        if self.restore_between_steps:
            self.runtime.workflows.clear()
        return due

    def data(self) -> dict:
        case = self.case()
        return case_data(self.runtime.peek_workflow(case))


def load_intake(scenario: str) -> dict:
    """tests/data/<scenario>_intake.json: a complete, valid intake."""
    from tests.conftest import DATA

    return json.loads((DATA / f"{scenario}_intake.json").read_text(encoding="utf-8"))


COMPANY_SETUP_PARALLEL = {"Task_Seal", "Task_Tax", "Task_SocialInsurance", "Task_HousingFund"}


def start(runtime: Runtime, intake: dict, restore_between_steps: bool = True, scenario: str = "restaurant",
          **changes) -> Walker:
    """Start a case of `scenario` at the window with the intake (changed by
    `changes`) and walk it from there."""
    result = runtime.start_case(scenario, {**intake, **changes}, "clerk")
    if restore_between_steps:
        runtime.workflows.clear()
    walker = Walker(runtime, result.case_id, restore_between_steps=restore_between_steps)
    walker.last = result
    return walker


def finish_company_setup(walk: Walker) -> None:
    """The company set-up block, all approved: registration, then its four
    parallel tasks."""
    assert walk.open_tasks() == {"Task_Registration"}
    walk.complete("Task_Registration", decision="approve")
    assert walk.open_tasks() == COMPANY_SETUP_PARALLEL
    for task in sorted(COMPANY_SETUP_PARALLEL):
        walk.complete(task)


def serve_correction(walk: Walker) -> None:
    """The shared correction block: one notice, then the supply."""
    assert walk.open_tasks() == {"Task_CorrectionNotice"}
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
