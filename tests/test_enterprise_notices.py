"""Policy notices: published by a supervisor or admin to industries, every
company or everyone; each reader is told in the inbox in the publishing
transaction (one INSERT ... SELECT); companies see their industry's notices,
persons only those for everyone."""
from __future__ import annotations

import pytest
from sqlalchemy import event, select

from engine.enterprise.notices import load_visible, publish_notice, seed_demo_notice, visible_notices
from engine.runtime.errors import CommandError, Forbidden, NotFound
from models import Notification, PolicyNotice, User


def user(db, username) -> User:
    with db.read() as session:
        return session.scalar(select(User).where(User.username == username))


def add_company(db, username, industry, uscc) -> User:
    with db.write() as session:
        session.add(User(username=username, display_name=username, role="applicant", id_number="",
                         uscc=uscc, company_name=f"{username}公司", industry=industry))
    return user(db, username)


def titles(db, username) -> list[str]:
    with db.read() as session:
        return list(session.scalars(select(Notification.title).where(
            Notification.user_id == user(db, username).id).order_by(Notification.id)))


def publish(db, audience="industries", industries=("catering",), title="餐饮补贴", actor="supervisor"):
    with db.write() as session:
        return publish_notice(session, user(db, actor).id, title, "正文", audience, industries).id


def test_a_notice_reaches_the_companies_of_its_industries_only(db):
    add_company(db, "shop", "retail", "91420103SHOP00001X")
    catering = publish(db)
    assert titles(db, "company") == ["政策通知：餐饮补贴"]
    assert titles(db, "shop") == [] and titles(db, "applicant") == []
    companies = publish(db, "all_companies", (), "全体企业减税")
    everyone = publish(db, "everyone", (), "办事大厅延时服务", actor="admin")
    assert titles(db, "shop") == ["政策通知：全体企业减税", "政策通知：办事大厅延时服务"]
    assert titles(db, "applicant") == ["政策通知：办事大厅延时服务"]
    with db.read() as session:
        seen = {u: [n.id for n in visible_notices(session, user(db, u))] for u in ("company", "shop", "applicant")}
        assert seen == {"company": [everyone, companies, catering], "shop": [everyone, companies],
                        "applicant": [everyone]}
        with pytest.raises(NotFound):
            load_visible(session, user(db, "shop"), catering)
        assert load_visible(session, user(db, "supervisor"), catering).id == catering
        with pytest.raises(NotFound):
            load_visible(session, user(db, "rev_sj"), everyone)


def test_publishing_notifies_with_one_statement(db):
    for i in range(30):
        add_company(db, f"diner{i}", "catering", f"91420103DINER{i:04d}X")
    statements = []
    with db.write() as session:
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(session.connection(), "before_cursor_execute", listener)
        publish_notice(session, user(db, "supervisor").id, "餐饮补贴", "正文", "industries", ["catering"])
    notification_inserts = [s for s in statements if "INSERT INTO notifications" in s]
    assert len(notification_inserts) == 1 and "SELECT" in notification_inserts[0]
    with db.read() as session:
        assert len(session.scalars(select(Notification).where(Notification.kind == "policy_notice")).all()) == 31


def test_only_supervisors_and_admins_publish_and_input_is_checked(db):
    with pytest.raises(Forbidden):
        publish(db, actor="rev_sj")
    with pytest.raises(Forbidden):
        publish(db, actor="company")
    with pytest.raises(CommandError, match="行业"):
        publish(db, industries=())
    with pytest.raises(CommandError, match="行业"):
        publish(db, industries=("mining",))
    with pytest.raises(CommandError, match="标题"):
        publish(db, title=" ")
    with db.read() as session:
        assert session.scalars(select(PolicyNotice)).all() == []
        assert session.scalars(select(Notification)).all() == []


def test_the_demo_notice_is_seeded_once(db):
    for _ in range(2):
        with db.write() as session:
            seed_demo_notice(session)
    with db.read() as session:
        assert len(session.scalars(select(PolicyNotice)).all()) == 1
    assert len(titles(db, "company")) == 1
