"""Notifications: written in the caller's transaction (gone if it rolls
back), shown only to their owner, and their SMS and e-mail copies delivered
once by the sweep through the messaging adapter, retried on failure."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.jobs import sweep
from engine.messaging import DeliveryFailed, MemoryMessenger
from engine.notifications import deliver_outbox, notify, unread_count
from models import Notification, User
from tests.web_helpers import signed_in, token_of


def user_id(db, username):
    with db.read() as session:
        return session.scalar(select(User.id).where(User.username == username))


def test_a_notification_exists_only_if_its_transaction_commits(db):
    applicant = user_id(db, "applicant")
    with pytest.raises(RuntimeError):
        with db.transaction() as conn:
            notify(conn, applicant, "test", "不会出现")
            raise RuntimeError("the command failed")
    with db.write() as session:
        notify(session, applicant, "test", "补正通知", "请补交卫生许可材料", "/my")
    with db.read() as session:
        assert [n.title for n in session.scalars(select(Notification))] == ["补正通知"]
        assert unread_count(session, applicant) == 1


def test_links_stay_inside_the_product_and_channels_are_known(db):
    with db.write() as session, pytest.raises(ValueError):
        notify(session, user_id(db, "applicant"), "test", "x", link="https://evil.example")
    with db.write() as session, pytest.raises(ValueError):
        notify(session, user_id(db, "applicant"), "test", "x", channels=("fax",))


def test_the_sweep_delivers_sms_and_email_once(db):
    with db.write() as session:
        notify(session, user_id(db, "applicant"), "reminder", "预约提醒", "明天 9:00", channels=("sms", "email"))
        notify(session, user_id(db, "clerk"), "inbox_only", "仅站内")
    messenger = MemoryMessenger()
    assert sweep(db, messenger=messenger, only=("deliver_outbox",)) == {"deliver_outbox": 1}
    assert [(m.channel, m.to) for m in messenger.sent] == [("sms", "13800138000"), ("email", "zhangsan@example.cn")]
    assert deliver_outbox(db, messenger) == 0 and len(messenger.sent) == 2  # never twice


class Flaky(MemoryMessenger):
    def __init__(self, failures):
        super().__init__()
        self.failures = failures

    def send(self, message):
        if self.failures:
            self.failures -= 1
            raise DeliveryFailed("gateway timeout")
        super().send(message)


def test_a_failed_delivery_is_retried_and_its_error_kept(db):
    with db.write() as session:
        notify(session, user_id(db, "applicant"), "reminder", "预约提醒", channels=("sms",))
    flaky = Flaky(failures=1)
    assert deliver_outbox(db, flaky) == 0
    with db.read() as session:
        note = session.scalar(select(Notification))
        assert (note.delivered_at, note.delivery_attempts, note.delivery_error) == (None, 1, "sms: gateway timeout")
    assert deliver_outbox(db, flaky) == 1 and len(flaky.sent) == 1


def test_the_inbox_shows_and_opens_only_ones_own(app, db):
    with db.write() as session:
        notify(session, user_id(db, "applicant"), "test", "您的办件已受理", link="/my")
        notify(session, user_id(db, "clerk"), "test", "窗口消息")
    with db.read() as session:
        mine, theirs = session.scalars(select(Notification.id).order_by(Notification.id)).all()
    client = signed_in(app, "applicant")
    page = client.get("/inbox").get_data(as_text=True)
    assert "您的办件已受理" in page and "窗口消息" not in page
    assert 'class="unread-count">1<' in page
    token = token_of(page)
    assert client.post(f"/inbox/{theirs}/open", data={"csrf_token": token}).status_code == 404
    opened = client.post(f"/inbox/{mine}/open", data={"csrf_token": token})
    assert opened.status_code == 302 and opened.headers["Location"] == "/my"
    with db.read() as session:
        assert unread_count(session, user_id(db, "applicant")) == 0
        assert unread_count(session, user_id(db, "clerk")) == 1


def test_sweep_from_the_shell(db, tmp_path):
    from click.testing import CliRunner

    from web.cli import main

    with db.write() as session:
        notify(session, user_id(db, "applicant"), "reminder", "提醒", channels=("sms",))
    result = CliRunner().invoke(main, ["sweep", "--json"], env={"ONEWINDOW_DATABASE_URL": db.url})
    assert result.exit_code == 0, result.output
    assert '"deliver_outbox": 1' in result.output
    bad = CliRunner().invoke(main, ["sweep", "--at", "yesterday"], env={"ONEWINDOW_DATABASE_URL": db.url})
    assert bad.exit_code != 0 and "ISO" in bad.output
