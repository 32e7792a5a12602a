"""The web application: the start page lists what is deployed, in Chinese
first and English second; the health endpoint reports the database."""
from __future__ import annotations

import pytest

from web import create_app


@pytest.fixture
def app(db):
    return create_app({"TESTING": True, "DATABASE_URL": db.url, "SECRET_KEY": "test"})


@pytest.fixture
def client(app):
    return app.test_client()


def test_start_page_lists_the_deployed_scenarios(client, runtime, intake):
    runtime.start_case("restaurant", intake, "clerk")
    page = client.get("/")
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "开办餐馆" in text and "企业开办" in text
    assert '<html lang="zh-CN">' in text
    # one running restaurant case
    row = text.split("开办餐馆")[1].split("</tr>")[0]
    assert "<td>1</td>" in row


def test_health_reports_the_database(client):
    response = client.get("/health")
    assert response.status_code == 200
    assert response.get_json()["status"] == "ok"
    assert response.get_json()["deployed_processes"] >= 2


def test_health_fails_clearly_without_a_database(tmp_path):
    app = create_app({"TESTING": True, "DATABASE_URL": f"sqlite:///{tmp_path}/missing/dir/x.sqlite"})
    response = app.test_client().get("/health")
    assert response.status_code == 503
    assert response.get_json()["status"] == "error"
