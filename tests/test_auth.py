"""Sign-in and sign-out: hashed passwords, CSRF on every form, secure
cookie flags, rate-limited sign-in, no open redirects, inactive users kept
out; the language switch."""
from __future__ import annotations

import re

import pytest
from sqlalchemy import update

from models import User
from web import create_app
from web.extensions import limiter

from engine.demo_data import DEMO_PASSWORD


@pytest.fixture
def app(db):
    application = create_app({"TESTING": True, "DATABASE_URL": db.url, "SECRET_KEY": "test-secret"})
    limiter.reset()  # counters are per process; each test starts with none
    return application


@pytest.fixture
def client(app):
    return app.test_client()


def csrf_token(client, path="/auth/login") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)


def sign_in(client, username="clerk", password=DEMO_PASSWORD, next_=None):
    url = "/auth/login" + (f"?next={next_}" if next_ else "")
    return client.post(url, data={"username": username, "password": password, "csrf_token": csrf_token(client)})


def test_sign_in_and_out(client):
    response = sign_in(client)
    assert response.status_code == 302
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie
    page = client.get("/").get_data(as_text=True)
    assert "综合窗口 王敏" in page and "退出" in page
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    assert client.post("/auth/logout", data={"csrf_token": token}).status_code == 302
    assert "登录" in client.get("/").get_data(as_text=True)


def test_wrong_password_says_nothing_about_which_field(client):
    for username, password in (("clerk", "wrong"), ("nobody", DEMO_PASSWORD)):
        response = sign_in(client, username, password)
        assert response.status_code == 401
        assert "用户名或密码不正确" in response.get_data(as_text=True)


def test_sign_in_without_csrf_token_is_refused(client):
    response = client.post("/auth/login", data={"username": "clerk", "password": DEMO_PASSWORD})
    assert response.status_code == 400
    assert "综合窗口 王敏" not in client.get("/").get_data(as_text=True)


def test_sign_out_needs_post_and_csrf(client):
    sign_in(client)
    assert client.get("/auth/logout").status_code == 405
    assert client.post("/auth/logout").status_code == 400
    assert "综合窗口 王敏" in client.get("/").get_data(as_text=True)


def test_sign_in_is_rate_limited(client):
    token = csrf_token(client)
    statuses = [client.post("/auth/login", data={"username": "clerk", "password": "x", "csrf_token": token})
                .status_code for _ in range(12)]
    assert statuses[:10] == [401] * 10
    assert statuses[10:] == [429, 429]


def test_next_never_redirects_off_site(client):
    response = sign_in(client, next_="//evil.example/steal")
    assert response.headers["Location"] == "/"
    client2 = client.application.test_client()
    response = sign_in(client2, next_="/health")
    assert response.headers["Location"] == "/health"


def test_inactive_user_cannot_sign_in_and_is_signed_out(client, db):
    sign_in(client, "rev_sj")
    assert "区市场监管局 审批员" in client.get("/").get_data(as_text=True)
    with db.write() as session:
        session.execute(update(User).where(User.username == "rev_sj").values(active=False))
    try:
        assert "区市场监管局 审批员" not in client.get("/").get_data(as_text=True)
        other = client.application.test_client()
        assert sign_in(other, "rev_sj").status_code == 401
    finally:  # PostgreSQL keeps users between tests
        with db.write() as session:
            session.execute(update(User).where(User.username == "rev_sj").values(active=True))


def test_language_switch(client):
    assert "已上线事项" in client.get("/").get_data(as_text=True)
    response = client.get("/lang/en?next=/")
    assert response.status_code == 302 and "lang=en" in response.headers["Set-Cookie"]
    page = client.get("/").get_data(as_text=True)
    assert "Deployed services" in page and "已上线事项" not in page
    assert "Open a restaurant" in page and '<html lang="en">' in page
    assert client.get("/lang/zh?next=https://evil.example/").headers["Location"] == "/"
    assert "已上线事项" in client.get("/").get_data(as_text=True)


def test_unknown_page_is_a_page_in_the_users_language(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "页面不存在" in response.get_data(as_text=True)
