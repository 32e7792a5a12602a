"""上门办: a request by the applicant, two distinct staff assigned by a
supervisor (both notified, the applicant by SMS), only the assigned staff
record the visit (with photos), cancelling before the visit, the mailing,
and the case started from a completed visit belongs to the applicant."""
from __future__ import annotations

import io
from datetime import date, datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from engine import visits
from engine.file_store import FileStore
from engine.runtime.errors import Conflict, Forbidden
from models import Case, CaseEvent, Notification, StoredFile, User, VisitRequest

NOW = datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc)  # Tuesday 10:00 in Beijing
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def user(session, username) -> User:
    return session.scalar(select(User).where(User.username == username))


def request_input(**overrides) -> visits.RequestInput:
    values = dict(reason="elderly", address="武汉市江汉区解放大道 1 号 3 栋 201", district="江汉区",
                  contact_name="张三", contact_phone="13800138000", items=["retirement"],
                  preferred_date=date(2026, 12, 3), preferred_period="morning", notes="行动不便")
    values.update(overrides)
    return visits.RequestInput(**values)


def new_request(db, items=("retirement",), applicant="applicant") -> int:
    with db.write() as session:
        return visits.create_request(session, user(session, applicant), request_input(items=list(items)), NOW).id


def scheduled(db, staff=("clerk", "rev_rs"), items=("retirement",)) -> int:
    visit_id = new_request(db, items)
    with db.write() as session:
        ids = [user(session, name).id for name in staff]
        visits.assign(session, user(session, "supervisor"), visit_id, ids, NOW + timedelta(days=2), NOW)
    return visit_id


def notes_of(db, username) -> list[Notification]:
    with db.read() as session:
        return session.scalars(select(Notification).join(User, User.id == Notification.user_id)
                               .where(User.username == username).order_by(Notification.id)).all()


def test_a_request_is_checked_and_reaches_the_supervisors(db):
    with db.write() as session:
        with pytest.raises(visits.VisitInvalid) as refused:
            visits.create_request(session, user(session, "applicant"), request_input(
                contact_phone="12345", items=[], preferred_date=date(2026, 11, 30), latitude=30.6), NOW)
    assert set(refused.value.errors) == {"contact_phone", "items", "preferred_date", "latitude"}
    with db.write() as session:
        with pytest.raises(visits.VisitInvalid, match="not in the catalog"):
            visits.create_request(session, user(session, "applicant"), request_input(items=["video_inspection"]), NOW)
        with pytest.raises(visits.VisitRefused):
            visits.create_request(session, user(session, "clerk"), request_input(), NOW)
    visit_id = new_request(db)
    with db.read() as session:
        visit = session.get(VisitRequest, visit_id)
        assert (visit.status, visit.items, visit.applicant_id) == ("requested", ["retirement"],
                                                                   user(session, "applicant").id)
    assert [n.link for n in notes_of(db, "supervisor")] == [f"/visits/{visit_id}"]


def test_two_distinct_eligible_staff_are_assigned_and_everyone_is_told(db):
    visit_id = new_request(db)
    with db.write() as session:
        chief = user(session, "supervisor")
        clerk, rev_rs, rev_sj = (user(session, n).id for n in ("clerk", "rev_rs", "rev_sj"))
        names = {u.username for u in visits.eligible_staff(session, session.get(VisitRequest, visit_id))}
        assert {"clerk", "clerk2", "rev_rs", "rev_rs2"} <= names and "rev_sj" not in names
        when = NOW + timedelta(days=2)
        for staff, reason in (([clerk, clerk], "two different"), ([clerk], "two different"),
                              ([clerk, rev_sj], "department concerned")):
            with pytest.raises(visits.VisitRefused, match=reason):
                visits.assign(session, chief, visit_id, staff, when, NOW)
        with pytest.raises(visits.VisitRefused, match="future"):
            visits.assign(session, chief, visit_id, [clerk, rev_rs], NOW - timedelta(hours=1), NOW)
        with pytest.raises(visits.VisitRefused, match="supervisor"):
            visits.assign(session, user(session, "clerk"), visit_id, [clerk, rev_rs], when, NOW)
        session.get(User, rev_rs).active = False
        with pytest.raises(visits.VisitRefused, match="active"):
            visits.assign(session, chief, visit_id, [clerk, rev_rs], when, NOW)
        session.get(User, rev_rs).active = True
        visits.assign(session, chief, visit_id, [clerk, rev_rs], when, NOW)
    assert [n.kind for n in notes_of(db, "clerk")] == ["visit_assigned"]
    assert [n.kind for n in notes_of(db, "rev_rs")] == ["visit_assigned"]
    told = notes_of(db, "applicant")
    assert [(n.kind, n.channels) for n in told] == [("visit_scheduled", "sms")]
    assert "2026-12-03 10:00" in told[0].body


def test_only_the_assigned_staff_record_the_visit_with_photos(db, tmp_path):
    visit_id = scheduled(db)
    files = FileStore(tmp_path)
    photo = files.save(io.BytesIO(PNG), "门牌.png")
    for outsider in ("clerk2", "rev_rs2", "applicant", "supervisor"):
        with db.write() as session, pytest.raises((visits.VisitRefused, visits.VisitNotFound)):
            visits.record_visit(session, user(session, outsider), visit_id, arrived_at=NOW, result="completed",
                                notes="", materials=[], photos=[], files=files, now=NOW)
    with db.write() as session:
        with pytest.raises(visits.VisitRefused, match="future"):
            visits.record_visit(session, user(session, "rev_rs"), visit_id, arrived_at=NOW + timedelta(hours=1),
                                result="completed", notes="", materials=[], photos=[], files=files, now=NOW)
        record = visits.record_visit(session, user(session, "rev_rs"), visit_id, arrived_at=NOW,
                                     result="completed", notes="已核对身份", materials=["身份证复印件", " "],
                                     photos=[photo], files=files, now=NOW)
        stored = session.get(StoredFile, record.photo_ids[0])
        assert (stored.purpose, stored.owner_id, stored.sha256) == ("visit_photo", record.recorded_by_id, photo.sha256)
        assert record.materials == ["身份证复印件"]
    with db.read() as session:
        assert session.get(VisitRequest, visit_id).status == "completed"
    assert notes_of(db, "applicant")[-1].kind == "visit_recorded"
    with db.write() as session, pytest.raises(visits.VisitRefused, match="not scheduled"):
        visits.record_visit(session, user(session, "clerk"), visit_id, arrived_at=NOW, result="completed",
                            notes="", materials=[], photos=[], files=files, now=NOW)


def test_an_absent_applicant_goes_back_to_the_supervisor(db, tmp_path):
    visit_id = scheduled(db)
    with db.write() as session:
        visits.record_visit(session, user(session, "clerk"), visit_id, arrived_at=NOW, result="absent",
                            notes="无人应门", materials=[], photos=[], files=FileStore(tmp_path), now=NOW)
    with db.write() as session:
        ids = [user(session, "clerk2").id, user(session, "rev_rs2").id]
        visit = visits.assign(session, user(session, "supervisor"), visit_id, ids, NOW + timedelta(days=3), NOW)
        assert (visit.status, visit.staff1_id) == ("scheduled", ids[0])
        assert len(visits.records_of(session, visit_id)) == 1


def test_the_applicant_cancels_before_the_visit_only(db, tmp_path):
    visit_id = scheduled(db)
    with db.write() as session, pytest.raises(visits.VisitNotFound):
        visits.cancel_request(session, user(session, "company"), visit_id, "", NOW)
    with db.write() as session:
        visits.cancel_request(session, user(session, "applicant"), visit_id, "已自行办理", NOW)
    assert [n.kind for n in notes_of(db, "clerk")] == ["visit_assigned", "visit_cancelled"]
    with db.write() as session, pytest.raises(visits.VisitRefused, match="already"):
        visits.cancel_request(session, user(session, "applicant"), visit_id, "", NOW)
    done = scheduled(db)
    with db.write() as session:
        visits.record_visit(session, user(session, "clerk"), done, arrived_at=NOW, result="completed",
                            notes="", materials=[], photos=[], files=FileStore(tmp_path), now=NOW)
    with db.write() as session, pytest.raises(visits.VisitRefused):
        visits.cancel_request(session, user(session, "applicant"), done, "", NOW)


def test_the_mailing_is_recorded_after_a_completed_visit(db, tmp_path):
    visit_id = scheduled(db)
    with db.write() as session, pytest.raises(visits.VisitRefused, match="after a completed"):
        visits.record_mailing(session, user(session, "clerk"), visit_id, "EA123456789CN", NOW)
    with db.write() as session:
        visits.record_visit(session, user(session, "clerk"), visit_id, arrived_at=NOW, result="completed",
                            notes="", materials=[], photos=[], files=FileStore(tmp_path), now=NOW)
    with db.write() as session, pytest.raises(visits.VisitRefused, match="EMS"):
        visits.record_mailing(session, user(session, "clerk"), visit_id, "12345", NOW)
    with db.write() as session, pytest.raises(visits.VisitNotFound):
        visits.record_mailing(session, user(session, "clerk2"), visit_id, "EA123456789CN", NOW)
    with db.write() as session:
        visits.record_mailing(session, user(session, "rev_rs"), visit_id, " ea123456789cn ", NOW)
    with db.read() as session:
        assert session.get(VisitRequest, visit_id).mail_tracking_no == "EA123456789CN"
    assert (notes_of(db, "applicant")[-1].kind, notes_of(db, "applicant")[-1].channels) == ("visit_mailed", "sms")


def retirement_intake(runtime, db, visit_id) -> dict:
    from engine.simulation.answers import answer
    import random

    with db.read() as session:
        _version, form = runtime.intake_form(session.connection(), "retirement")
        applicant = user(session, "applicant")
        prefill = visits.intake_prefill(applicant, session.get(VisitRequest, visit_id), form)
    assert prefill["applicant_id_no"] == applicant.id_number
    assert prefill["delivery_method"] == "ems" and prefill["delivery_address"].startswith("武汉市江汉区")
    data = answer(form.schema, {}, random.Random(3))
    return {**data, **prefill}


def test_a_case_started_from_a_completed_visit_is_the_applicants(db, runtime, tmp_path):
    visit_id = scheduled(db)
    with db.read() as session:
        reviewer = user(session, "rev_rs")
        applicant_id = user(session, "applicant").id
    with pytest.raises(Conflict, match="not completed"):
        runtime.start_case("retirement", {}, reviewer.id, origin=visits.VisitOrigin(visit_id, "retirement"))
    files = FileStore(tmp_path)
    with db.write() as session:
        visits.record_visit(session, reviewer, visit_id, arrived_at=NOW, result="completed", notes="",
                            materials=[], photos=[files.save(io.BytesIO(PNG), "p.png")], files=files, now=NOW)
    data = retirement_intake(runtime, db, visit_id)
    with pytest.raises(Forbidden):  # not an assigned staff member
        runtime.start_case("retirement", data, "clerk2", origin=visits.VisitOrigin(visit_id, "retirement"))
    with pytest.raises(Forbidden, match="not one of the items"):
        runtime.start_case("restaurant", data, reviewer.id, origin=visits.VisitOrigin(visit_id, "restaurant"))
    with pytest.raises(Forbidden):  # a reviewer starts cases only from their visit
        runtime.start_case("retirement", data, reviewer.id)
    result = runtime.start_case("retirement", data, reviewer.id, origin=visits.VisitOrigin(visit_id, "retirement"))
    with db.read() as session:
        case = session.get(Case, result.case_id)
        assert case.applicant_id == applicant_id
        linked = session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id,
                                                         CaseEvent.kind == "visit_linked")).all()
        assert [e.payload for e in linked] == [{"visit_id": visit_id, "scenario": "retirement"}]
        assert session.get(VisitRequest, visit_id).case_ids == [case.id]
        assert session.scalar(select(StoredFile.case_id).where(StoredFile.purpose == "visit_photo")) == case.id
