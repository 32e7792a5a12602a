"""网上申报 → 网上预审 → case: drafts keep what was typed, uploads are
checked, the window's clerks accept (the case starts in the same transaction
as the acceptance and the files' link) or return with reasons."""
import io

import pytest
from sqlalchemy import func, select

from engine import online_applications as applications
from engine.runtime.errors import Conflict
from models import ApplicationFile, Case, CaseEvent, Notification, OnlineApplication, StoredFile, User
from tests.web_helpers import as_form, signed_in, token_of

PDF = b"%PDF-1.4\n% test material\n"


def pdf(name="m.pdf"):
    return (io.BytesIO(PDF), name)


def required_materials(app, data) -> list[str]:
    from web import get_runtime

    runtime = get_runtime(app)
    with runtime.db.read() as session:
        reqs = applications.requirements(runtime, session.connection(), "restaurant", data)
    return [m["key"] for m in reqs.materials if m["key"] in reqs.required and not m.get("deferrable")]


def post_application(client, url, data, files=None, action="save"):
    page = client.get(url if "/applications/" in url else "/my/apply/restaurant").get_data(as_text=True)
    form = as_form(data)
    form.add("csrf_token", token_of(page))
    form.add("action", action)
    for key, value in (files or {}).items():
        form.add(f"file.{key}", value)
    return client.post(url, data=form, content_type="multipart/form-data")


def application_of(db, username) -> OnlineApplication:
    with db.read() as session:
        user_id = session.scalar(select(User.id).where(User.username == username))
        return session.scalar(select(OnlineApplication).where(OnlineApplication.applicant_id == user_id)
                              .order_by(OnlineApplication.id.desc()))


def submitted(app, db, intake, username="company"):
    client = signed_in(app, username)
    files = {key: pdf(f"{key}.pdf") for key in required_materials(app, intake)}
    response = post_application(client, "/my/apply/restaurant", intake, files, action="submit")
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    row = application_of(db, username)
    assert row.status == "submitted"
    return client, row


def test_a_draft_keeps_what_was_typed_even_when_invalid(app, db):
    client = signed_in(app, "company")
    response = post_application(client, "/my/apply/restaurant",
                                {"proposed_name": "武汉楚味轩", "area_m2": "about eighty"})
    assert response.status_code == 302
    row = application_of(db, "company")
    assert row.status == "draft" and row.data["proposed_name"] == "武汉楚味轩"
    assert row.data["area_m2"] == "about eighty"
    page = client.get(f"/my/applications/{row.id}").get_data(as_text=True)
    assert 'value="about eighty"' in page


def test_submitting_needs_a_valid_form_and_the_required_materials(app, db, intake):
    client = signed_in(app, "company")
    response = post_application(client, "/my/apply/restaurant", intake,
                                {"id_card": pdf("id.pdf"), "food_layout_plan": (io.BytesIO(b"MZ\x90\x00"), "plan.pdf")},
                                action="submit")
    row = application_of(db, "company")
    assert response.status_code == 422 and row.status == "draft"
    html = response.get_data(as_text=True)
    assert "plan.pdf" in html and "文件内容与扩展名 .pdf 不符" in html  # the refused file, with the reason
    assert "请上传以下材料后再提交" in html
    with db.read() as session:
        kept = session.scalars(select(ApplicationFile.material_key)
                               .where(ApplicationFile.application_id == row.id)).all()
    assert kept == ["id_card"]  # the good upload stayed
    # The materials follow the answers through materials.dmn: an owned
    # property needs the certificate, not the lease.
    assert "lease_contract" not in required_materials(app, {**intake, "property_type": "owned"})
    assert "property_certificate" in required_materials(app, {**intake, "property_type": "owned"})


def test_submitted_application_reaches_the_window_and_is_accepted(app, db, intake):
    client, row = submitted(app, db, intake)
    with db.read() as session:
        told = session.scalars(select(Notification.title).join(User, User.id == Notification.user_id)
                               .where(User.username == "clerk")).all()
    assert any("网上申报待预审" in t for t in told)
    with db.write() as session, pytest.raises(Conflict):  # submitted: no more edits
        applications.save_draft(session, row.applicant_id, "restaurant", {}, session.get(OnlineApplication, row.id))
    clerk = signed_in(app, "clerk")
    queue = clerk.get("/window/online").get_data(as_text=True)
    assert f"/window/online/{row.id}" in queue
    page = clerk.get(f"/window/online/{row.id}").get_data(as_text=True)
    assert intake["proposed_name"] in page
    with db.read() as session:
        file_ids = session.scalars(select(ApplicationFile.stored_file_id)
                                   .where(ApplicationFile.application_id == row.id)).all()
    assert clerk.get(f"/files/{file_ids[0]}").data == PDF  # the window downloads before any case
    assert signed_in(app, "rev_sj").get(f"/files/{file_ids[0]}").status_code == 404
    response = clerk.post(f"/window/online/{row.id}/accept",
                          data={"csrf_token": token_of(page), "seen_version": row.version})
    assert response.status_code == 302 and "/receipt" in response.headers["Location"]
    with db.read() as session:
        row = session.get(OnlineApplication, row.id)
        case = session.get(Case, row.case_id)
        assert row.status == "accepted" and case.applicant_id == row.applicant_id
        applicant = session.get(User, row.applicant_id)  # the account's checked USCC, not the form's ID number
        assert case.applicant_key == applicant.uscc != intake["legal_rep_id_no"]
        linked = session.scalars(select(StoredFile.case_id).where(StoredFile.id.in_(file_ids))).all()
        assert set(linked) == {case.id}
        events = {e.kind: e for e in session.scalars(select(CaseEvent).where(CaseEvent.case_id == case.id))}
        assert events["case_started"].payload["materials"]["id_card"] == "received"
        assert events["case_started"].payload["materials"]["lease_contract"] in ("received", "deferred")
        assert events["applied_online"].payload["application_id"] == row.id
        note = session.scalar(select(Notification).where(Notification.user_id == row.applicant_id,
                                                         Notification.kind == "application_accepted"))
        assert case.reference in note.title and note.channels == "sms" and note.link == f"/my/cases/{case.id}"
    # The applicant now follows the case; the application can no longer change.
    assert case.reference in client.get("/my").get_data(as_text=True)
    assert client.get(f"/my/cases/{case.id}").status_code == 200


def test_returned_application_is_edited_and_submitted_again(app, db, intake):
    client, row = submitted(app, db, intake)
    clerk = signed_in(app, "clerk")
    page = clerk.get(f"/window/online/{row.id}").get_data(as_text=True)
    empty = clerk.post(f"/window/online/{row.id}/return",
                       data={"csrf_token": token_of(page), "seen_version": row.version, "reasons": " "})
    assert empty.status_code == 422
    clerk.post(f"/window/online/{row.id}/return", data={"csrf_token": token_of(page), "seen_version": row.version,
                                                         "reasons": "租赁合同缺出租方签字"})
    row = application_of(db, "company")
    assert row.status == "returned" and row.return_reason == "租赁合同缺出租方签字"
    with db.read() as session:
        note = session.scalar(select(Notification).where(Notification.user_id == row.applicant_id,
                                                         Notification.kind == "application_returned"))
    assert "租赁合同缺出租方签字" in note.body
    html = client.get(f"/my/applications/{row.id}").get_data(as_text=True)
    assert "租赁合同缺出租方签字" in html
    response = post_application(client, f"/my/applications/{row.id}", {**intake, "seats": 60},
                                {"lease_contract": pdf("lease-signed.pdf")}, action="submit")
    assert response.status_code == 302
    row = application_of(db, "company")
    assert row.status == "submitted" and row.data["seats"] == 60


def test_accepting_is_one_transaction_with_starting_the_case(app, db, intake):
    from web import get_runtime

    _client, row = submitted(app, db, intake)
    runtime = get_runtime(app)
    with db.read() as session:
        clerk_id = session.scalar(select(User.id).where(User.username == "clerk"))
        before = session.scalar(select(func.count()).select_from(Case))
    with pytest.raises(Conflict):  # the applicant's edit moved the version on
        applications.accept(runtime, row.id, clerk_id, row.version - 1)
    result = applications.accept(runtime, row.id, clerk_id, row.version)
    with pytest.raises(Conflict):  # a second clerk, a second click
        applications.accept(runtime, row.id, clerk_id, row.version)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == before + 1
        assert session.get(OnlineApplication, row.id).case_id == result.case_id


def test_a_failing_link_leaves_no_case(runtime, db, intake):
    with db.read() as session:
        before = session.scalar(select(func.count()).select_from(Case))

    def fail(conn, result):
        raise Conflict("linked elsewhere meanwhile")

    with pytest.raises(Conflict):
        runtime.start_case("restaurant", intake, "clerk", also=fail)
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(Case)) == before


def test_only_the_window_pre_reviews(app, db, intake):
    _client, row = submitted(app, db, intake)
    for username in ("rev_sj", "supervisor"):
        client = signed_in(app, username)
        assert client.get("/window/online").status_code == 403
        assert client.get(f"/window/online/{row.id}").status_code == 403
    with db.read() as session:
        clerk2 = session.scalar(select(User).where(User.username == "clerk2"))
    assert clerk2.department_code == "CK"
