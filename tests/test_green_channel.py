"""绿色通道办: the supervisor's key-project list; a case of a listed applicant
is flagged, linked to its project, gets the steward (told in the inbox) and
the scenario's shorter promise, and goes first in the queue."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.green_channel.matching import promised_working_days
from engine.green_channel.projects import save_project
from engine.runtime.errors import Forbidden, InvalidData
from engine.workcalendar import add_working_days
from models import Case, CaseEvent, KeyProject, KeyProjectCase, Notification
from tests.rating_cases import SMALL_EXISTING, START, fixed_runtime, load_intake, started_case, user_id
from tests.web_helpers import signed_in

COMPANY_USCC = "91420103MA4K0JH0WD"
OTHER_USCC = "91420103MA4KXXXX0Q"


def add_project(db, key=COMPANY_USCC, steward="rev_sj2", **changes):
    values = dict(name="江汉路美食街改造", level="district", applicant_key=key,
                  steward_id=user_id(db, steward), note="区级重点项目")
    return save_project(db, user_id(db, "supervisor"), **{**values, **changes})


def test_the_list_is_kept_by_the_supervisor_only_and_checked(db):
    with pytest.raises(Forbidden):
        save_project(db, user_id(db, "rev_sj"), name="x", level="city", applicant_key=COMPANY_USCC,
                     steward_id=user_id(db, "rev_sj"))
    with pytest.raises(InvalidData) as bad:
        save_project(db, user_id(db, "supervisor"), name="", level="province", applicant_key="123",
                     steward_id=user_id(db, "company"))
    assert set(bad.value.errors) == {"name", "level", "applicant_key", "steward_id"}
    project_id = add_project(db, key=COMPANY_USCC.lower())
    add_project(db, project_id=project_id, name="江汉路美食街改造（二期）", level="city", active=False)
    with db.read() as session:
        project = session.get(KeyProject, project_id)
        assert (project.name, project.level, project.applicant_key, project.active) == (
            "江汉路美食街改造（二期）", "city", COMPANY_USCC, False)


def test_a_listed_applicants_case_is_flagged_stewarded_and_promised_sooner(db):
    project_id = add_project(db)
    walk = started_case(db)
    case = walk.case()
    assert case.key_project is True
    assert case.due_at == add_working_days(START, 3)  # restaurant: 5 WD, 3 for a key project
    with db.read() as session:
        link = session.get(KeyProjectCase, case.id)
        assert (link.key_project_id, link.steward_id) == (project_id, user_id(db, "rev_sj2"))
        event = session.scalar(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                       CaseEvent.kind == "key_project_attached"))
        assert event.payload["key_project"] == project_id
        note = session.scalar(select(Notification).where(Notification.user_id == user_id(db, "rev_sj2")))
        assert note.title == f"重点项目新办件：{case.reference}" and note.link == f"/cases/{case.id}"


def test_others_and_inactive_projects_are_not_flagged(db):
    add_project(db, active=False)
    add_project(db, key="420105198001011230")
    case = started_case(db).case()
    assert case.key_project is False
    assert case.due_at == add_working_days(START, 5)
    with db.read() as session:
        assert session.get(KeyProjectCase, case.id) is None


def test_promise_falls_back_to_the_normal_one():
    assert promised_working_days({"promised_working_days": 5}, True) == 5
    assert promised_working_days({"promised_working_days": 5, "promised_working_days_green": 3}, False) == 5
    assert promised_working_days({"promised_working_days": 5, "promised_working_days_green": 3}, True) == 3


def test_key_project_cases_come_first_in_the_queue_and_the_steward_sees_them(app, db):
    ordinary = started_case(db, uscc=OTHER_USCC, proposed_name="普通餐饮有限公司").case()
    add_project(db)
    key = started_case(db).case()
    page = signed_in(app, "rev_sj").get("/queue").get_data(as_text=True)
    assert page.index(key.reference) < page.index(ordinary.reference)
    steward = signed_in(app, "rev_sj2")
    mine = steward.get("/key-projects/my-cases").get_data(as_text=True)
    assert key.reference in mine and ordinary.reference not in mine
    assert steward.get(f"/cases/{key.id}").status_code == 200
    other = signed_in(app, "rev_xf").get("/key-projects/my-cases").get_data(as_text=True)
    assert key.reference not in other


def test_demo_key_projects_are_seeded_once(db):
    from engine.seeding import seed_demo_key_projects

    with db.write() as session:
        assert seed_demo_key_projects(session) == 1
    with db.write() as session:
        assert seed_demo_key_projects(session) == 0
    with db.read() as session:
        assert session.scalar(select(KeyProject.applicant_key)) == COMPANY_USCC


def test_an_account_case_without_the_number_in_its_form_is_matched_by_the_account(db):
    """A company not yet registered gives only its legal representative's ID
    in the form: the applicant account's USCC, checked at registration, names
    the case, so the green channel still finds the project."""
    add_project(db)
    form = {k: v for k, v in {**load_intake("restaurant"), **SMALL_EXISTING}.items() if k != "uscc"}
    result = fixed_runtime(db, START).start_case("restaurant", {**form, "has_company": False}, "clerk",
                                                 applicant_id=user_id(db, "company"))
    with db.read() as session:
        case = session.get(Case, result.case_id)
    assert case.applicant_key == COMPANY_USCC and case.key_project is True
    assert case.due_at == add_working_days(START, 3)
