"""Applicant accounts: a person registers with a checked ID card number, a
company with a checked credit code and an authorised agent; a number
registers once; an applicant sees only their own cases and staff pages
refuse them."""
from __future__ import annotations

from sqlalchemy import select

from engine.identity import id_card_check_char, uscc_check_char
from models import User
from tests.web_helpers import signed_in, token_of

PERSON_ID = "42010219850612001" + id_card_check_char("42010219850612001")
USCC = "91420103MA4KXY12T" + uscc_check_char("91420103MA4KXY12T")


def register(app, **fields):
    client = app.test_client()
    token = token_of(client.get("/auth/register").get_data(as_text=True).replace(
        'id="csrf_token" name="csrf_token" type="hidden" value=', 'name="csrf_token" value='))
    data = {"kind": "person", "name": "王五", "id_number": PERSON_ID, "phone": "13712345678",
            "password": "a-long-password", "confirm": "a-long-password", "csrf_token": token, **fields}
    return client, client.post("/auth/register", data=data)


def test_a_person_registers_and_lands_on_their_cases(app, db):
    client, response = register(app)
    assert response.status_code == 302 and response.headers["Location"].endswith("/my")
    home = client.get("/my")
    assert home.status_code == 200 and "您还没有办件" in home.get_data(as_text=True)
    with db.read() as session:
        user = session.scalar(select(User).where(User.username == PERSON_ID))
        assert (user.role, user.id_number, user.uscc, user.phone) == ("applicant", PERSON_ID, "", "13712345678")
        assert user.password_hash and "a-long-password" not in user.password_hash


def test_a_company_registers_through_its_agent(app, db):
    _, response = register(app, kind="company", company_name="武汉测试餐饮有限公司", uscc=USCC.lower(),
                           industry="catering", authorised="y")
    assert response.status_code == 302
    with db.read() as session:
        user = session.scalar(select(User).where(User.username == USCC))
        assert (user.uscc, user.company_name, user.industry, user.id_number) == (
            USCC, "武汉测试餐饮有限公司", "catering", PERSON_ID)
        assert user.is_company and user.applicant_key == USCC


def test_bad_numbers_and_a_missing_authorisation_are_refused_with_reasons(app, db):
    _, response = register(app, id_number=PERSON_ID[:-1] + ("0" if PERSON_ID[-1] != "0" else "1"))
    assert response.status_code == 422 and "身份证号码无效" in response.get_data(as_text=True)
    _, response = register(app, kind="company", company_name="某公司", uscc="91420103MA4KXY12T0",
                           industry="catering")
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "统一社会信用代码无效" in page or "经办人须获企业授权" in page
    assert "经办人须获企业授权" in page
    _, response = register(app, phone="12345", confirm="something-else")
    page = response.get_data(as_text=True)
    assert "手机号码无效" in page and "两次输入的密码不一致" in page
    with db.read() as session:
        assert session.scalar(select(User).where(User.username.in_([PERSON_ID, USCC]))) is None


def test_a_number_registers_once(app):
    assert register(app)[1].status_code == 302
    _, again = register(app, name="冒名者")
    assert again.status_code == 409 and "已注册" in again.get_data(as_text=True)


def test_an_applicant_sees_only_their_own_cases(app, runtime, db, intake):
    with db.read() as session:
        mine = session.scalar(select(User.id).where(User.username == "applicant"))
    own = runtime.start_case("restaurant", intake, "clerk", applicant_id=mine)
    other = runtime.start_case("restaurant", intake, "clerk")  # someone else's case
    client = signed_in(app, "applicant")
    home = client.get("/my").get_data(as_text=True)
    assert own.reference in home and other.reference not in home
    assert client.get(f"/cases/{other.case_id}").status_code == 404
    for staff_page in ("/queue", "/window", f"/window/cases/{own.case_id}/receipt"):
        assert client.get(staff_page).status_code == 403, staff_page


def test_staff_cannot_open_the_applicant_pages(app):
    assert signed_in(app, "clerk").get("/my").status_code == 403
    assert app.test_client().get("/my").status_code == 302  # to the sign-in page
