"""上门办 pages: the applicant's request and cancel, the supervisor's
assignment, the staff's record with a photo and the case started from the
visit; every route refuses outsiders (another applicant, unassigned staff,
anonymous) with a 404, 403 or the login page."""
from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.workcalendar import BEIJING
from models import Case, Notification, StoredFile, User, VisitRequest
from tests.web_helpers import as_form, token_of
from tests.web_helpers import signed_in as sign_in

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def signed_in(app, username):
    """One signed-in client per user and app (the login is rate limited)."""
    clients = app.extensions.setdefault("test.clients", {})
    if username not in clients:
        clients[username] = sign_in(app, username)
    return clients[username]


def ids(db, *names) -> list[int]:
    with db.read() as session:
        return [session.scalar(select(User.id).where(User.username == n)) for n in names]


def local(moment) -> str:
    return moment.astimezone(BEIJING).strftime("%Y-%m-%dT%H:%M")


def request_visit(app, client=None, **overrides) -> int:
    from web import get_runtime

    client = client or signed_in(app, "applicant")
    page = client.get("/my/visits/new").get_data(as_text=True)
    assert "13800138000" in page  # the account's phone, prefilled
    day = (get_runtime(app).clock() + timedelta(days=3)).astimezone(BEIJING).date().isoformat()
    data = {"reason": "elderly", "address": "武汉市江汉区解放大道 1 号", "district": "民族街",
            "contact_name": "张三", "contact_phone": "13800138000", "items": ["retirement"],
            "preferred_date": day, "preferred_period": "morning", "notes": "", **overrides}
    response = client.post("/my/visits/new", data={**as_form(data), "csrf_token": token_of(page)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return int(response.headers["Location"].rsplit("/", 1)[1])


def assign(app, db, visit_id, staff=("clerk", "rev_rs")):
    from web import get_runtime

    chief = signed_in(app, "supervisor")
    page = chief.get(f"/visits/{visit_id}").get_data(as_text=True)
    when = local(get_runtime(app).clock() + timedelta(days=2))
    one, two = ids(db, *staff)
    return chief.post(f"/visits/{visit_id}/assign", data={"staff1": one, "staff2": two, "scheduled_at": when,
                                                          "csrf_token": token_of(page)}, follow_redirects=True)


def record(app, visit_id, username="rev_rs", photo=PNG, name="门牌.png"):
    from web import get_runtime

    staff = signed_in(app, username)
    page = staff.get(f"/visits/{visit_id}/record")
    if page.status_code != 200:
        return page
    data = {"csrf_token": token_of(page.get_data(as_text=True)), "result": "completed",
            "arrived_at": local(get_runtime(app).clock() - timedelta(minutes=10)),
            "notes": "已核对身份", "materials": "身份证复印件\n退休申请表", "photos": (io.BytesIO(photo), name)}
    return staff.post(f"/visits/{visit_id}/record", data=data, content_type="multipart/form-data")


def test_the_applicant_requests_and_a_bad_request_keeps_what_was_typed(app, db):
    client = signed_in(app, "applicant")
    page = client.get("/my/visits/new").get_data(as_text=True)
    response = client.post("/my/visits/new", data={**as_form({
        "reason": "elderly", "address": "解放大道 1 号", "contact_name": "张三", "contact_phone": "123",
        "preferred_date": "2020-01-01", "preferred_period": "any"}), "csrf_token": token_of(page)})
    html = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "手机号码无效" in html and "请至少选择一项" in html and "解放大道 1 号" in html
    visit_id = request_visit(app, client)
    assert "退休" in client.get("/my/visits").get_data(as_text=True)
    assert "待安排" in client.get(f"/my/visits/{visit_id}").get_data(as_text=True)
    assert f"#{visit_id}" in signed_in(app, "supervisor").get("/visits").get_data(as_text=True)


def test_assign_record_with_a_photo_and_start_the_applicants_case(app, db):
    visit_id = request_visit(app)
    bad = assign(app, db, visit_id, staff=("clerk", "clerk"))
    assert "两名不同" in bad.get_data(as_text=True)
    assert "已指派" in assign(app, db, visit_id).get_data(as_text=True)
    assert record(app, visit_id, photo=b"MZ not an image", name="x.png").status_code == 422
    assert record(app, visit_id, username="clerk2").status_code == 404
    assert record(app, visit_id).status_code == 302
    with db.read() as session:
        visit = session.get(VisitRequest, visit_id)
        assert visit.status == "completed"
    staff = signed_in(app, "rev_rs")
    page = staff.get(f"/visits/{visit_id}").get_data(as_text=True)
    photo_link = re.search(rf'/visits/{visit_id}/photos/(\d+)', page)
    assert staff.get(photo_link.group(0)).data == PNG
    assert signed_in(app, "applicant").get("/my" + photo_link.group(0)).data == PNG
    assert signed_in(app, "company").get("/my" + photo_link.group(0)).status_code == 404

    intake = staff.get(f"/window/start/retirement?visit={visit_id}")
    assert intake.status_code == 200
    html = intake.get_data(as_text=True)
    assert 'value="420105198001011230"' in html and "上门服务 #" in html
    assert staff.get(f"/window/start/restaurant?visit={visit_id}").status_code == 404  # not an item asked for
    assert staff.get("/window/start/retirement").status_code == 403  # a reviewer has no window otherwise
    assert signed_in(app, "clerk2").get(f"/window/start/retirement?visit={visit_id}").status_code == 404

    from web import get_runtime
    from engine.simulation.answers import answer
    import random

    runtime = get_runtime(app)
    with db.read() as session:
        version, form = runtime.intake_form(session.connection(), "retirement")
        materials = runtime.compiled_by_version(session.connection(), version.id).metadata.get("materials") or []
    data = answer(form.schema, {"applicant_id_type": "resident_id", "applicant_id_no": "420105198001011230",
                                "applicant_name": "张三"}, random.Random(5))
    posted = as_form(data)
    for material in materials:
        posted.add(f"material.{material['key']}", "received")
    posted.add("csrf_token", token_of(html))
    response = staff.post(f"/window/start/retirement?visit={visit_id}", data=posted)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    with db.read() as session:
        case = session.scalar(select(Case).order_by(Case.id.desc()))
        assert case.applicant_id == ids(db, "applicant")[0]
    mine = signed_in(app, "applicant").get("/my").get_data(as_text=True)
    assert case.reference in mine
    assert case.reference in signed_in(app, "applicant").get(f"/my/visits/{visit_id}").get_data(as_text=True)


def test_cancel_and_mailing(app, db):
    visit_id = request_visit(app)
    assign(app, db, visit_id)
    client = signed_in(app, "applicant")
    page = client.get(f"/my/visits/{visit_id}").get_data(as_text=True)
    client.post(f"/my/visits/{visit_id}/cancel", data={"reason": "已自行办理", "csrf_token": token_of(page)})
    with db.read() as session:
        assert session.get(VisitRequest, visit_id).status == "cancelled"
        kinds = session.scalars(select(Notification.kind).where(Notification.user_id == ids(db, "clerk")[0])).all()
    assert kinds == ["visit_assigned", "visit_cancelled"]
    done = request_visit(app)
    assign(app, db, done)
    record(app, done)
    staff = signed_in(app, "clerk")
    page = staff.get(f"/visits/{done}").get_data(as_text=True)
    staff.post(f"/visits/{done}/mail", data={"tracking_no": "EA123456789CN", "csrf_token": token_of(page)})
    with db.read() as session:
        assert session.get(VisitRequest, done).mail_tracking_no == "EA123456789CN"


@pytest.mark.parametrize("who, expect", [(None, 302), ("company", 404), ("clerk2", 404), ("rev_sj", 404)])
def test_outsiders_are_refused_on_every_route(app, db, who, expect):
    visit_id = request_visit(app)
    assign(app, db, visit_id)
    record(app, visit_id)
    with db.read() as session:
        photo = session.scalar(select(StoredFile.id).where(StoredFile.purpose == "visit_photo"))
    client = signed_in(app, who) if who else app.test_client()
    applicant_side = who in (None, "company")
    staff_side = who in (None, "clerk2", "rev_sj")
    gets = ([f"/my/visits/{visit_id}", f"/my/visits/{visit_id}/photos/{photo}"] if applicant_side else []) + (
        [f"/visits/{visit_id}", f"/visits/{visit_id}/photos/{photo}",
         f"/window/start/retirement?visit={visit_id}"] if staff_side else [])
    for url in gets:
        assert client.get(url).status_code == expect, url
    posts = ([f"/my/visits/{visit_id}/cancel"] if applicant_side else []) + (
        [f"/visits/{visit_id}/mail", f"/visits/{visit_id}/record"] if staff_side else [])
    # With a valid CSRF token, so that the refusal is the access check's.
    token = {"csrf_token": token_of(client.get("/inbox").get_data(as_text=True))} if who else {}
    for url in posts:
        assert client.post(url, data=token).status_code in ((expect, 400) if who is None else (expect,)), url
    # Pages of the other side: refused by role.
    if who == "company":
        for url in ("/visits", f"/visits/{visit_id}", f"/visits/{visit_id}/record"):
            assert client.get(url).status_code == 403
    if who in ("clerk2", "rev_sj"):
        assert client.get("/my/visits").status_code == 403
        assert f"#{visit_id}" not in client.get("/visits").get_data(as_text=True)
        assert client.post(f"/visits/{visit_id}/assign", data=token).status_code == 403
