"""The sweep as a Celery task on a Redis broker (engine/celery_app.py): a
real worker with its beat, in a process of its own, fires a due timer of
the test database once. Skipped, saying why, when Celery is not installed
or no Redis answers at 127.0.0.1:6379."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from datetime import timedelta
from pathlib import Path

import pytest

from engine.runtime.service import Runtime
from engine.runtime.workflow_cache import WorkflowCache
from engine.workcalendar import add_working_days
from tests.test_timers import START, Clock, boundary_process, case_row, deploy, events, open_tasks

ROOT = Path(__file__).resolve().parent.parent
BROKER = os.environ.get("ONEWINDOW_TEST_REDIS", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="module")
def redis_broker() -> str:
    pytest.importorskip("celery", reason="Celery is not installed (pip install -e '.[celery]')")
    redis = pytest.importorskip("redis", reason="the redis client is not installed")
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1).ping()
    except redis.RedisError as exc:
        pytest.skip(f"no Redis at {BROKER} ({exc.__class__.__name__}): the Celery worker test needs one")
    return BROKER


def test_a_celery_worker_with_beat_fires_a_due_timer_once(db, tmp_path, redis_broker):
    key = deploy(db, tmp_path, boundary_process(), "timer_boundary")
    runtime = Runtime(db, clock=Clock(START), workflow_cache=WorkflowCache())
    case_id = runtime.start_case(key, None, "clerk").case_id
    assert case_row(db, case_id).next_timer_at == add_working_days(START, 3)  # long past: due now
    queue = f"onewindow-test-{uuid.uuid4().hex[:12]}"  # ours alone on a shared Redis
    env = {**os.environ, "ONEWINDOW_DATABASE_URL": db.url, "ONEWINDOW_CELERY_BROKER": redis_broker,
           "ONEWINDOW_CELERY_QUEUE": queue, "ONEWINDOW_SWEEP_INTERVAL": "1"}
    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "engine.celery_app", "worker", "-B", "--pool=solo",
         "--loglevel=INFO", "-s", str(tmp_path / "beat-schedule"), "--without-gossip", "--without-mingle"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        deadline = time.monotonic() + 90
        while not events(db, "timer_fired") and time.monotonic() < deadline and worker.poll() is None:
            time.sleep(0.5)  # waiting for another process, not for a timer
        fired = events(db, "timer_fired")
        assert [e.case_id for e in fired] == [case_id], "the worker did not fire the timer"
        assert open_tasks(db, case_id) == {"Task_Supervise"}
        time.sleep(3)  # a few more beats: nothing fires twice
        assert len(events(db, "timer_fired")) == 1
    finally:
        worker.terminate()
        try:
            output, _ = worker.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()
            output, _ = worker.communicate()
    assert "onewindow.sweep" in output, output[-3000:]
    assert case_row(db, case_id).next_timer_at is None
    assert fired[0].at > START + timedelta(days=30)  # fired at the real time of the sweep
