"""Reminders before a work item is due and escalation once it is overdue
(engine/reminders.py), each once, by the sweep with an explicit `now`; and
the restaurant scenario of issue 6: an approval left untouched past its
legal limit is escalated without anyone clicking. Also the video
inspection block's rectification timer, fired by the sweep."""
from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import select

from engine.jobs import sweep
from engine.reminders import ReminderPolicy, remind_and_escalate
from engine.runtime.service import Runtime
from engine.runtime.workflow_cache import WorkflowCache
from engine.workcalendar import add_working_days
from models import Case, CaseEvent, Database, Notification, User, WorkItem
from tests.test_timers import START, Clock, beijing
from tests.walk import Walker, start

EXISTING_SMALL = dict(has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False,
                      discharge_to_sewer=False, remote_inspection=False)


def restaurant(db, intake) -> Walker:
    """A restaurant case accepted at the window on START (Monday 10:00):
    the food licence review (SJ, legal limit 10 working days) waits."""
    runtime = Runtime(db, clock=Clock(START), workflow_cache=WorkflowCache())
    walk = start(runtime, intake, **EXISTING_SMALL)
    assert "Task_FoodReview" in walk.open_tasks()
    return walk


def notified(db, kind: str) -> list[tuple[str, str]]:
    with db.read() as session:
        return sorted(session.execute(select(User.username, Notification.title).join(
            User, User.id == Notification.user_id).where(Notification.kind == kind)).all())


def case_events(db, case_id: int, kind: str) -> list[CaseEvent]:
    with db.read() as session:
        return list(session.scalars(select(CaseEvent).where(CaseEvent.case_id == case_id, CaseEvent.kind == kind)))


def food_item(db, case_id: int) -> WorkItem:
    with db.read() as session:
        return session.scalars(select(WorkItem).where(WorkItem.case_id == case_id,
                                                      WorkItem.task_spec == "Task_FoodReview")).one()


def test_policy_reminds_one_working_day_before_or_a_quarter_of_short_items():
    policy = ReminderPolicy()
    assert policy.threshold(timedelta(hours=80)) == timedelta(hours=8)  # 10 working days
    assert policy.threshold(timedelta(hours=4)) == timedelta(hours=1)  # half a working day


def test_overdue_restaurant_approval_is_reminded_then_escalated_without_clicks(db, intake):
    walk = restaurant(db, intake)
    item = food_item(db, walk.case_id)
    due = add_working_days(START, 10)
    assert item.due_at == due == beijing(2025, 6, 23, 18, 0)
    reference = walk.case().reference

    # Friday 17:00: 9 working hours left, more than one working day: quiet.
    assert sweep(db, now=beijing(2025, 6, 20, 17, 0), only=("remind_and_escalate",)) == {"remind_and_escalate": 0}
    # Monday 10:00, its last day: the department is reminded (nobody claimed it), once.
    monday = beijing(2025, 6, 23, 10, 0)
    assert sweep(db, now=monday, only=("remind_and_escalate",)) == {"remind_and_escalate": 1}
    assert sweep(db, now=monday + timedelta(hours=1), only=("remind_and_escalate",)) == {"remind_and_escalate": 0}
    assert {user for user, _ in notified(db, "work_due_soon")} == {"rev_sj", "rev_sj2"}
    assert all(title.startswith(f"办件即将到期：{reference}") for _, title in notified(db, "work_due_soon"))
    (reminded,) = case_events(db, walk.case_id, "reminded")
    assert (reminded.actor_name, reminded.task_spec, reminded.department_code) == ("system", "Task_FoodReview", "SJ")

    # Tuesday morning, past the legal limit and still untouched: escalated to
    # the head of SJ (rev_sj) and the supervisor, once.
    tuesday = beijing(2025, 6, 24, 9, 30)
    assert sweep(db, now=tuesday, only=("remind_and_escalate",)) == {"remind_and_escalate": 1}
    assert sweep(db, now=tuesday + timedelta(days=2), only=("remind_and_escalate",)) == {"remind_and_escalate": 0}
    assert {user for user, _ in notified(db, "work_overdue")} == {"rev_sj", "supervisor"}
    assert all(title.startswith(f"办件已超期：{reference}") for _, title in notified(db, "work_overdue"))
    (escalated,) = case_events(db, walk.case_id, "escalated")
    assert escalated.at == tuesday and escalated.payload["notified"] == ["rev_sj", "supervisor"]
    item = food_item(db, walk.case_id)
    assert (item.reminded_at, item.escalated_at) == (monday, tuesday)
    with db.read() as session:  # the escalation also goes out by SMS to the head
        channels = session.scalar(select(Notification.channels).join(User, User.id == Notification.user_id)
                                  .where(Notification.kind == "work_overdue", User.username == "rev_sj"))
    assert channels == "sms"


def test_a_claimed_item_reminds_its_claimant_only(db, intake):
    walk = restaurant(db, intake)
    item = food_item(db, walk.case_id)
    walk.runtime.claim(walk.case_id, item.task_id, "rev_sj2")
    assert remind_and_escalate(db, beijing(2025, 6, 23, 10, 0)) == 1
    assert {user for user, _ in notified(db, "work_due_soon")} == {"rev_sj2"}


def test_work_done_in_time_is_never_escalated(db, intake):
    walk = restaurant(db, intake)
    walk.runtime.clock.now = beijing(2025, 6, 12, 10, 0)
    walk.complete("Task_FoodReview", decision="approve")
    remind_and_escalate(db, beijing(2025, 7, 1, 10, 0))  # the on-site inspection it led to is late
    assert [e.task_spec for e in case_events(db, walk.case_id, "escalated")] == ["Task_OnsiteInspection"]

def test_two_workers_remind_and_escalate_once(db, intake):
    walk = restaurant(db, intake)
    barrier = threading.Barrier(2)
    counts, errors = [], []

    def worker(now):
        own = Database(db.url)
        try:
            barrier.wait()
            counts.append(remind_and_escalate(own, now))
        except Exception as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            own.dispose()

    for now in (beijing(2025, 6, 23, 10, 0), beijing(2025, 6, 24, 9, 30)):
        counts.clear()
        threads = [threading.Thread(target=worker, args=(now,)) for _ in range(2)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(60)
        assert errors == []
        assert sum(counts) == 1
    assert len([e for e in case_events(db, walk.case_id, "reminded") if e.task_spec == "Task_FoodReview"]) == 1
    assert len([e for e in case_events(db, walk.case_id, "escalated") if e.task_spec == "Task_FoodReview"]) == 1


def test_video_rectification_waits_for_its_period_then_the_sweep_opens_the_recheck(db, intake):
    runtime = Runtime(db, clock=Clock(START), workflow_cache=WorkflowCache())
    walk = start(runtime, intake, **{**EXISTING_SMALL, "remote_inspection": True})
    walk.complete("Task_FoodReview", decision="approve", inspection_mode="video")
    walk.complete("Task_VideoBooking:food", inspectors=["rev_sj", "rev_sj2"])
    checklist = dict.fromkeys(("premises", "facilities", "hygiene", "safety", "records"), "pass")
    walk.complete("Task_VideoInspection:food", conclusion="rectify", recording_sha256="ab" * 32,
                  checklist={**checklist, "hygiene": "rectify"}, reason="后厨地面破损",
                  rectification_working_days=5)
    assert "Task_VideoBooking:food" not in walk.open_tasks()  # waiting for the period to run out
    # 5 working days after Monday 2025-06-09: Monday 2025-06-16, at the end of the day.
    assert walk.case().next_timer_at == beijing(2025, 6, 16, 18, 0)
    assert sweep(db, now=beijing(2025, 6, 16, 17, 59), only=("fire_timers",)) == {"fire_timers": 0}
    assert sweep(db, now=beijing(2025, 6, 16, 18, 0), only=("fire_timers",)) == {"fire_timers": 1}
    assert "Task_VideoBooking:food" in walk.open_tasks()
    (fired,) = case_events(db, walk.case_id, "timer_fired")
    assert fired.payload["timers"] == ["整改期限届满"] and fired.actor_name == "system"
    with db.read() as session:
        assert session.get(Case, walk.case_id).next_timer_at is None
