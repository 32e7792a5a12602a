"""Creating the departments and the demo staff (idempotent)."""
from sqlalchemy import select
from sqlalchemy.orm import Session
from werkzeug.security import generate_password_hash

from models import Department, KeyProject, User

from .demo_data import DEMO_KEY_PROJECTS, DEMO_PASSWORD, DEPARTMENTS, demo_users

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


def seed_hall(session: Session, today) -> int:
    """The demo hall windows and opening calendar (only when no weekly
    session exists, so an administrator's calendar is never overwritten),
    closures on the statutory holidays that fall on weekdays, and slots for
    the next DEMO_HALL_DAYS days the hall opens. Returns the slots created."""
    from datetime import time, timedelta

    from models import HallSession, HallWindow

    from .appointments.hall_calendar import generate_slots, sessions_on
    from .demo_data import DEMO_HALL_DAYS, HALL_SESSIONS, HALL_WINDOWS
    from .workcalendar import CalendarDataMissing, is_working_day

    known = set(session.scalars(select(HallWindow.code)))
    session.add_all(HallWindow(**spec) for spec in HALL_WINDOWS if spec["code"] not in known)
    if not session.scalar(select(HallSession.id).where(HallSession.on_date.is_(None)).limit(1)):
        session.add_all(HallSession(kind=s["kind"], weekday=s["weekday"], starts=time.fromisoformat(s["starts"]),
                                    ends=time.fromisoformat(s["ends"]), categories=s["categories"])
                        for s in HALL_SESSIONS)
    session.flush()
    day, open_days, last = today, 0, today
    for _ in range(DEMO_HALL_DAYS * 3):
        try:
            holiday = day.weekday() < 5 and not is_working_day(day)
        except CalendarDataMissing:
            holiday = False  # no statutory data for that year: the hall's own calendar stands
        if holiday and not session.scalar(select(HallSession.id).where(HallSession.on_date == day)):
            session.add(HallSession(kind="regular", on_date=day, starts=time(0), ends=time(0), closed=True,
                                    categories=[]))
            session.flush()
        if sessions_on(session, day):
            open_days, last = open_days + 1, day
            if open_days == DEMO_HALL_DAYS:
                break
        day += timedelta(days=1)
    return generate_slots(session, today, last)
def seed_demo_key_projects(session: Session) -> int:
    """The demo key projects whose applicant is not on the list yet."""
    listed = set(session.scalars(select(KeyProject.applicant_key)))
    added = 0
    for spec in DEMO_KEY_PROJECTS:
        steward = session.scalar(select(User.id).where(User.username == spec["steward"]))
        if spec["applicant_key"] in listed or steward is None:
            continue
        session.add(KeyProject(name=spec["name"], level=spec["level"], applicant_key=spec["applicant_key"],
                               steward_id=steward, note=spec["note"], active=True))
        added += 1
    session.flush()
    return added


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
