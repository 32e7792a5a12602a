"""Creating the departments and the demo staff (idempotent)."""
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from models import Department, User

from .demo_data import DEMO_PASSWORD, DEPARTMENTS, demo_users

APPLICANT_FIELDS = ("id_number", "uscc", "company_name", "industry", "phone", "email")


def seed_departments(session: Session) -> None:
    for code, zh, en in DEPARTMENTS:
        dept = session.get(Department, code) or Department(code=code)
        dept.name_zh, dept.name_en = zh, en
        session.add(dept)
    session.flush()


def seed_demo_users(session: Session, password: str = DEMO_PASSWORD) -> list[dict]:
    """Create the demo users that do not exist yet; return every demo login."""
    hashed = None
    logins = []
    existing = set(session.scalars(select(User.username)))
    for spec in demo_users():
        if spec["username"] not in existing:
            hashed = hashed or generate_password_hash(password)
            extra = {k: spec[k] for k in APPLICANT_FIELDS if k in spec}
            session.add(User(username=spec["username"], display_name=spec["display_name"], role=spec["role"],
                             department_code=spec["department"], password_hash=hashed,
                             department_head=spec.get("department_head", False), **extra))
        logins.append({"username": spec["username"], "password": password, "role": spec["role"],
                       "department": spec["department"], "name": spec["display_name"]})
    session.flush()
    seed_department_heads(session)
    return logins


def seed_department_heads(session: Session) -> None:
    """The demo head of each department that has none yet (databases made
    before heads existed); an administrator's choice is left alone."""
    headed = set(session.scalars(select(User.department_code).where(User.department_head.is_(True))))
    for spec in demo_users():
        if spec.get("department_head") and spec["department"] not in headed:
            user = session.scalar(select(User).where(User.username == spec["username"]))
            if user is not None:
                user.department_head = True
                headed.add(spec["department"])
    session.flush()
