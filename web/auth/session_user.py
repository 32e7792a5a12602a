"""The signed-in user as Flask-Login sees it: a detached snapshot of the
users row, loaded once per request."""
from __future__ import annotations

from dataclasses import dataclass

from flask_login import UserMixin

from models import User

from ..extensions import login_manager


@dataclass
class SessionUser(UserMixin):
    id: int
    username: str
    display_name: str
    role: str
    department_code: str | None
    active: bool

    @classmethod
    def of(cls, user: User) -> "SessionUser":
        return cls(user.id, user.username, user.display_name, user.role, user.department_code, user.active)

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    def get_id(self) -> str:
        return str(self.id)


@login_manager.user_loader
def load_user(user_id: str):
    from .. import get_db

    if not user_id.isdigit():
        return None
    with get_db().read() as session:
        user = session.get(User, int(user_id))
        return SessionUser.of(user) if user is not None and user.active else None
