"""Every applicant route, tried by outsiders: another applicant gets a 404
for records that are not theirs (never a 403 that confirms they exist),
staff get a 403 on applicant-only pages, anonymous visitors are sent to
sign in. Nothing an outsider posts changes anything."""
import io
import re

import pytest
from sqlalchemy import select

from engine import online_applications as applications
from engine.notifications import notify
from models import Notification, OnlineApplication, User
from tests.web_helpers import signed_in

STAFF = ("clerk", "rev_sj", "supervisor", "admin")


@pytest.fixture
def records(app, db, runtime, intake):
    """What the company applicant owns: a draft with a material, a case
    with a file, a notification."""
    from web import get_files

    with db.write() as session:
        owner = session.scalar(select(User).where(User.username == "company"))
        draft = applications.save_draft(session, owner.id, "restaurant", {"proposed_name": "楚味轩"})
        material = applications.attach(session, get_files(app), draft, "id_card", io.BytesIO(b"%PDF-1.4 id"),
                                       "id.pdf", owner.id)
        owner_id, draft_id, material_id = owner.id, draft.id, material.id
    case = runtime.start_case("restaurant", intake, "clerk", applicant_id=owner_id)
    with db.write() as session:
        blob = get_files(app).save(io.BytesIO(b"%PDF-1.4 supply"), "supply.pdf")
        case_file = get_files(app).record(session, blob, owner_id, "correction", case_id=case.case_id)
        notify(session.connection(), owner_id, "test", "您的通知")
        note_id = session.scalar(select(Notification.id).where(Notification.user_id == owner_id))
        case_file_id = case_file.id
    return {"app": draft_id, "file": material_id, "case": case.case_id, "case_file": case_file_id,
            "note": note_id}


# (method, url, applicant-only page?)
ROUTES = [
    ("GET", "/my", True),
    ("GET", "/my/apply/restaurant", True),
    ("POST", "/my/apply/restaurant", True),
    ("GET", "/my/applications/{app}", True),
    ("POST", "/my/applications/{app}", True),
    ("POST", "/my/applications/{app}/files/{file}/remove", True),
    ("GET", "/my/cases/{case}", True),
    ("POST", "/my/cases/{case}/supply", True),
    ("GET", "/inbox", False),
    ("POST", "/inbox/{note}/open", False),
    ("GET", "/files/{file}", False),
    ("GET", "/files/{case_file}", False),
]
# The ones that name a record of the owner's.
RECORD_ROUTES = [r for r in ROUTES if "{" in r[1]]


def token(client) -> str:
    page = client.get("/auth/login" if not signed(client) else "/inbox").get_data(as_text=True)
    return re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page).group(1)


def signed(client) -> bool:
    return client.get("/inbox").status_code == 200


def call(client, method, url, records):
    url = url.format(**records)
    if method == "GET":
        return client.get(url)
    return client.post(url, data={"csrf_token": token(client), "proposed_name": "篡改", "action": "submit"})


def unchanged(db, records):
    with db.read() as session:
        draft = session.get(OnlineApplication, records["app"])
        assert draft.status == "draft" and draft.data == {"proposed_name": "楚味轩"}
        assert len(applications.files_of(session, draft.id)["id_card"]) == 1
        assert session.get(Notification, records["note"]).read_at is None


@pytest.mark.parametrize("method,url,_only", RECORD_ROUTES, ids=[f"{m} {u}" for m, u, _ in RECORD_ROUTES])
def test_another_applicant_gets_404_for_the_owners_records(app, db, records, method, url, _only):
    assert call(signed_in(app, "applicant"), method, url, records).status_code == 404
    unchanged(db, records)


@pytest.mark.parametrize("username", STAFF)
def test_staff_get_403_on_applicant_only_pages(app, db, records, username):
    client = signed_in(app, username)
    for method, url, only in ROUTES:
        status = call(client, method, url, records).status_code
        if only:
            assert status == 403, (username, method, url)
        elif "{note}" in url:
            assert status == 404, (username, url)  # someone else's notification
    unchanged(db, records)


@pytest.mark.parametrize("username", ("rev_sj", "supervisor"))
def test_staff_outside_the_window_never_read_a_draft_material(app, records, username):
    assert signed_in(app, username).get(f"/files/{records['file']}").status_code == 404


def test_the_window_cannot_read_a_draft_before_it_is_submitted(app, records):
    clerk = signed_in(app, "clerk")
    assert clerk.get(f"/files/{records['file']}").status_code == 404
    assert clerk.get(f"/window/online/{records['app']}").status_code == 404


def test_anonymous_visitors_are_sent_to_sign_in(app, db, records):
    client = app.test_client()
    for method, url, _only in ROUTES:
        response = call(client, method, url, records)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], (method, url)
    for url in ("/window/online", f"/window/online/{records['app']}"):
        assert "/auth/login" in client.get(url).headers["Location"]
    unchanged(db, records)


def test_the_owner_reaches_every_route(app, records):
    client = signed_in(app, "company")
    for method, url, _only in ROUTES:
        if method == "GET":
            assert client.get(url.format(**records)).status_code == 200, url


def test_the_public_guide_needs_no_account(app):
    assert app.test_client().get("/guide").status_code == 200
    assert app.test_client().get("/guide/restaurant").status_code == 200
