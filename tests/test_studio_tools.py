"""The studio's DMN, form and simulation pages and their JSON calls:
designers only, CSRF on every post, saves into the draft with the revision
opened (a stale one refused, a refused file leaving nothing saved), each
file's problems answered, a simulation of the draft refused while the draft
has problems."""
from __future__ import annotations

import json
import re

import pytest

from tests.conftest import PROCESSES
from tests.web_helpers import signed_in

PERMITS = "permits.dmn"
FORM = "forms/food_review.json"
PAGES = [f"/studio/restaurant/dmn/{PERMITS}", f"/studio/restaurant/form/{FORM}", "/studio/restaurant/simulate"]


def csrf_of(html: str) -> str:
    return re.search(r'data-csrf="([^"]+)"', html).group(1)


def embedded_xml(html: str) -> str:
    return json.loads(re.search(r'<script type="application/json" class="dmn-xml">(.*?)</script>', html, re.S).group(1))


def post_json(client, url: str, body, token: str | None):
    headers = {"X-CSRFToken": token} if token else {}
    return client.post(url, data=json.dumps(body), content_type="application/json", headers=headers)


@pytest.fixture
def designer(app):
    client = signed_in(app, "designer")
    page = client.get(PAGES[0])
    assert page.status_code == 200
    return client, csrf_of(page.get_data(as_text=True))


@pytest.mark.parametrize("username", ["clerk", "rev_sj", "supervisor", "applicant"])
def test_only_designers_and_administrators(app, username):
    client = signed_in(app, username)
    for url in PAGES:
        assert client.get(url).status_code == 403, url
    assert client.post("/studio/form-preview", json={"text": "{}"}).status_code in (400, 403)
    admin = signed_in(app, "admin")
    assert all(admin.get(url).status_code == 200 for url in PAGES)


def test_signed_out_goes_to_the_login(app):
    for url in PAGES:
        response = app.test_client().get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_pages_show_the_draft_files_and_404_otherwise(app, designer):
    client, _token = designer
    page = client.get(f"/studio/restaurant/dmn/{PERMITS}").get_data(as_text=True)
    assert 'class="dmn-xml"' in page and "restaurant_permits" in page and 'data-revision="0"' in page
    form = client.get(f"/studio/restaurant/form/{FORM}").get_data(as_text=True)
    assert "材料审查" in form and "<textarea" in form
    for url in ("/studio/restaurant/dmn/restaurant.bpmn", "/studio/restaurant/dmn/nothing.dmn",
                f"/studio/restaurant/form/{PERMITS}", "/studio/no_such_scenario/simulate",
                "/studio/restaurant/form/forms/approval.json"):  # a shared form is not the scenario's
        assert client.get(url).status_code == 404, url


def test_posts_need_the_csrf_token(app, designer):
    client, token = designer
    text = (PROCESSES / "restaurant" / PERMITS).read_text(encoding="utf-8")
    assert post_json(client, f"/studio/restaurant/dmn/{PERMITS}", {"xml": text, "revision": 0}, None).status_code == 400
    assert post_json(client, "/studio/form-preview", {"text": "{}"}, None).status_code == 400
    assert post_json(client, "/studio/restaurant/simulate", {"runs": 1, "seed": 0}, None).status_code == 400
    assert post_json(client, f"/studio/restaurant/dmn/{PERMITS}", {"xml": text, "revision": 0}, token).status_code == 200


def test_saving_a_decision_table(app, designer):
    client, token = designer
    url = f"/studio/restaurant/dmn/{PERMITS}"
    text = (PROCESSES / "restaurant" / PERMITS).read_text(encoding="utf-8")
    edited = text.replace("<text>&gt;= 50</text>", "<text>&gt;= 60</text>", 1)
    saved = post_json(client, url, {"xml": edited, "revision": 0}, token)
    assert saved.status_code == 200 and saved.json["revision"] == 1 and saved.json["file_problems"] == []
    assert "&gt;= 60" in embedded_xml(client.get(url).get_data(as_text=True))
    # A cell the evaluator cannot read: saved, with the problem on its rule.
    bad = post_json(client, url, {"xml": edited.replace("&gt;= 60", "&gt;= = 60"), "revision": 1}, token)
    assert bad.status_code == 200 and bad.json["revision"] == 2
    assert [p["element"] for p in bad.json["file_problems"]] == ["Rule_fire"]
    assert bad.json["file_problems"][0]["file"] == PERMITS
    # Someone else's newer revision is not overwritten.
    stale = post_json(client, url, {"xml": edited, "revision": 1}, token)
    assert stale.status_code == 409 and "第 2 稿" in stale.json["message"]
    # A file that may not enter a draft refuses the save: nothing written.
    hostile = '<?xml version="1.0"?>\n<!DOCTYPE x [<!ENTITY e "e">]>\n' + edited.split("\n", 1)[1]
    refused = post_json(client, url, {"xml": hostile, "revision": 2}, token)
    assert refused.status_code == 422 and refused.json["problems"]
    assert 'data-revision="2"' in client.get(url).get_data(as_text=True)
    for body in ({"xml": edited}, {"xml": 5, "revision": 2}, {"xml": edited, "revision": "2"}, ["x"]):
        assert post_json(client, url, body, token).status_code == 400


def test_form_preview_and_save(app, designer):
    client, token = designer
    url = f"/studio/restaurant/form/{FORM}"
    schema = json.loads((PROCESSES / "restaurant" / FORM).read_text(encoding="utf-8"))
    name = next(iter(schema["properties"]))
    schema["properties"][name]["title"] = "改过的标签"
    text = json.dumps(schema, ensure_ascii=False, indent=2)
    preview = post_json(client, "/studio/form-preview", {"text": text}, token)
    assert preview.status_code == 200 and preview.json["ok"] and "改过的标签" in preview.json["html"]
    broken = post_json(client, "/studio/form-preview", {"text": text[:-3]}, token).json
    assert not broken["ok"] and broken["html"] == "" and broken["errors"][0].startswith("invalid JSON at line")
    saved = post_json(client, url, {"text": text, "revision": 0}, token)
    assert saved.status_code == 200 and saved.json["file_problems"] == []
    assert "改过的标签" in client.get(url).get_data(as_text=True)
    # Valid JSON, but not a form: saved with the problem, which blocks deploying.
    wrong = post_json(client, url, {"text": '{"type": "array"}', "revision": saved.json["revision"]}, token)
    assert wrong.status_code == 200 and any('"type": "object"' in p["message"] for p in wrong.json["file_problems"])
    # Not JSON at all: refused, nothing saved.
    refused = post_json(client, url, {"text": "{", "revision": wrong.json["revision"]}, token)
    assert refused.status_code == 422
    assert f'data-revision="{wrong.json["revision"]}"' in client.get(url).get_data(as_text=True)


def test_simulating_the_draft(app, designer):
    client, token = designer
    url = "/studio/restaurant/simulate"
    page = client.get(url).get_data(as_text=True)
    assert "运行模拟" in page and 'max="500"' in page
    for runs in (0, 501):
        assert post_json(client, url, {"runs": runs, "seed": 0}, token).status_code == 400
    run = post_json(client, url, {"runs": 4, "seed": 1}, token)
    assert run.status_code == 200
    report = run.json
    assert report["runs"] == 4 and sum(report["statuses"].values()) == 4 and not report["errors"]
    own = [f for f, e in report["files"].items() if e["own"]]
    assert len(own) == 1 and own[0].endswith("restaurant.bpmn") and "<bpmn:definitions" in report["files"][own[0]]["xml"]
    assert any(t["task"] == "Task_Intake" and t["visits"] == 4 for t in report["tasks"])
    # A draft with a problem is not simulated.
    dmn = (PROCESSES / "restaurant" / PERMITS).read_text(encoding="utf-8").replace("<text>True</text>", "<text>Tru e</text>", 1)
    assert post_json(client, f"/studio/restaurant/dmn/{PERMITS}", {"xml": dmn, "revision": 0}, token).status_code == 200
    refused = post_json(client, url, {"runs": 4, "seed": 1}, token)
    assert refused.status_code == 422 and refused.json["problems"][0]["file"] == PERMITS
    assert "disabled" in client.get(url).get_data(as_text=True)
