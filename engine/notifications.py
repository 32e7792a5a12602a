"""Writing notifications (the inbox) and delivering their SMS and e-mail
copies (the outbox). `notify` runs inside the caller's transaction, on an
ORM session or a Core connection alike, so a notice exists exactly when what
it announces was committed."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, func, insert, select, update

from models import Notification, User, utcnow

from .messaging import DeliveryFailed, Message, Messenger

CHANNELS = ("sms", "email")
MAX_ATTEMPTS = 5


def notify(conn, user_id: int, kind: str, title: str, body: str = "", link: str = "",
           channels: tuple[str, ...] = (), now: datetime | None = None) -> None:
    unknown = set(channels) - set(CHANNELS)
    if unknown:
        raise ValueError(f"unknown notification channel(s): {sorted(unknown)}")
    if link and not link.startswith("/"):
        raise ValueError("a notification links inside the product only")
    conn.execute(insert(Notification).values(
        user_id=user_id, kind=kind, title=title[:200], body=body, link=link[:300],
        created_at=now or utcnow(), channels=",".join(channels), delivery_attempts=0, delivery_error=""))


def notify_department(conn, department_code: str, kind: str, title: str, body: str = "", link: str = "",
                      roles: tuple[str, ...] = ("clerk", "reviewer"), now: datetime | None = None) -> int:
    """Every active member of a department with one of `roles`."""
    ids = conn.execute(select(User.id).where(User.department_code == department_code, User.active.is_(True),
                                             User.role.in_(roles))).scalars().all()
    for user_id in ids:
        notify(conn, user_id, kind, title, body, link, now=now)
    return len(ids)


def notify_role(conn, role: str, kind: str, title: str, body: str = "", link: str = "",
                now: datetime | None = None) -> int:
    ids = conn.execute(select(User.id).where(User.role == role, User.active.is_(True))).scalars().all()
    for user_id in ids:
        notify(conn, user_id, kind, title, body, link, now=now)
    return len(ids)


def unread_count(session, user_id: int) -> int:
    return session.scalar(select(func.count()).select_from(Notification)
                          .where(Notification.user_id == user_id, Notification.read_at.is_(None))) or 0


def mark_read(session, user_id: int, notification_id: int | None = None, now: datetime | None = None) -> int:
    """One notification, or all of them; only the user's own."""
    where = [Notification.user_id == user_id, Notification.read_at.is_(None)]
    if notification_id is not None:
        where.append(Notification.id == notification_id)
    return session.execute(update(Notification).where(*where).values(read_at=now or utcnow())).rowcount


def deliver_outbox(db, messenger: Messenger, now: datetime | None = None, batch: int = 200) -> int:
    """Send the SMS and e-mail copies not yet delivered; each notification in
    its own short transaction, locked with SKIP LOCKED on PostgreSQL so two
    workers never send one message twice. Returns how many were delivered."""
    now = now or utcnow()
    delivered = 0
    with db.transaction() as conn:
        query = (select(Notification.id).where(and_(Notification.delivered_at.is_(None), Notification.channels != "",
                                                    Notification.delivery_attempts < MAX_ATTEMPTS))
                 .order_by(Notification.id).limit(batch))
        ids = conn.execute(query).scalars().all()
    for notification_id in ids:
        with db.transaction() as conn:
            query = select(Notification.channels, Notification.title, Notification.body,
                           Notification.delivery_attempts, User.phone, User.email).join(
                User, User.id == Notification.user_id).where(
                Notification.id == notification_id, Notification.delivered_at.is_(None))
            if not db.is_sqlite:
                query = query.with_for_update(skip_locked=True, of=Notification)
            row = conn.execute(query).first()
            if row is None:
                continue  # another worker has it
            note = row
            error = ""
            for channel in note.channels.split(","):
                to = note.phone if channel == "sms" else note.email
                if not to:
                    continue  # nowhere to send it; the inbox still holds it
                try:
                    messenger.send(Message(channel, to, note.title, note.body))
                except DeliveryFailed as exc:
                    error = f"{channel}: {exc}"[:500]
            values = {"delivery_attempts": note.delivery_attempts + 1, "delivery_error": error}
            if not error:
                values["delivered_at"] = now
                delivered += 1
            conn.execute(update(Notification).where(Notification.id == notification_id).values(**values))
    return delivered
