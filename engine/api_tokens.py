"""Personal API tokens: created for a user, shown once, stored only as a
SHA-256 hash, checked on every JSON API call, revoked by their owner or an
administrator. A token of an inactive user, or a revoked one, opens nothing."""
from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from models import ApiToken, Database, User, utcnow

from .runtime.errors import Forbidden, NotFound

# last_used_at is a hint for people ("is this token still used?"), not an
# audit trail: write it at most once a minute per token, not on every call.
LAST_USED_RESOLUTION = timedelta(minutes=1)
NAME_MAX = 100


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


@dataclass
class NewToken:
    id: int
    username: str
    name: str
    token: str  # the only time the token itself exists outside the caller
    created_at: datetime

    def as_dict(self) -> dict:
        return {"id": self.id, "user": self.username, "name": self.name, "token": self.token,
                "created_at": self.created_at.isoformat()}


def _user(session: Session, username: str) -> User:
    user = session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"no user {username!r}")
    return user


def create_token(session: Session, username: str, name: str, now: datetime | None = None) -> NewToken:
    name = (name or "").strip()
    if not name or len(name) > NAME_MAX:
        raise ValueError(f"a token needs a name of 1 to {NAME_MAX} characters")
    user = _user(session, username)
    if not user.active:
        raise Forbidden(f"{username} is inactive and may not have API tokens")
    token = secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=hash_token(token), created_at=now or utcnow())
    session.add(row)
    session.flush()
    return NewToken(row.id, user.username, name, token, row.created_at)


def list_tokens(session: Session, username: str | None = None) -> list[dict]:
    query = select(ApiToken, User.username).join(User, User.id == ApiToken.user_id)
    if username:
        query = query.where(User.username == username)
    return [{"id": t.id, "user": name, "name": t.name, "created_at": t.created_at,
             "last_used_at": t.last_used_at, "revoked_at": t.revoked_at}
            for t, name in session.execute(query.order_by(ApiToken.id))]


def revoke_token(session: Session, username: str, *, token_id: int | None = None, name: str | None = None,
                 now: datetime | None = None) -> list[int]:
    """Revoke `username`'s token by id, or every live token of that name.
    Returns the ids revoked; NotFound when none matched."""
    user = _user(session, username)
    query = select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))
    if token_id is not None:
        query = query.where(ApiToken.id == token_id)
    elif name:
        query = query.where(ApiToken.name == name)
    else:
        raise ValueError("give the token's id or its name")
    rows = list(session.scalars(query))
    if not rows:
        raise NotFound(f"{username} has no live token {token_id if token_id is not None else repr(name)}")
    for row in rows:
        row.revoked_at = now or utcnow()
    session.flush()
    return [row.id for row in rows]


def authenticate(db: Database, token: str, now: datetime | None = None) -> User | None:
    """The active user a live token belongs to, or None. Records when the
    token was last used."""
    if not token or len(token) > 256:
        return None
    now = now or utcnow()
    digest = hash_token(token)
    with db.read() as session:
        row = session.execute(select(ApiToken, User).join(User, User.id == ApiToken.user_id)
                              .where(ApiToken.token_hash == digest)).first()
        if row is None:
            return None
        api_token, user = row
        session.expunge(user)
    if api_token.revoked_at is not None or not user.active:
        return None
    if api_token.last_used_at is None or now - api_token.last_used_at >= LAST_USED_RESOLUTION:
        with db.write() as session:
            session.execute(update(ApiToken).where(ApiToken.id == api_token.id).values(last_used_at=now))
    return user
