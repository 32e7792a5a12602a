"""web/studio: the studio's pages and commands through HTTP: roles, CSRF,
the editor's JSON save with its stale-revision refusal, hostile uploads
refused whole, deploy making version 2 while running cases stay on 1."""
from __future__ import annotations

import io
import json
import re
import zipfile

import pytest
from sqlalchemy import select

from engine.studio import drafts
from models import ProcessDraft, ProcessVersion
from tests.bpmn_factory import one_task_process
from tests.studio_helpers import LIBRARY_KEYS, broken_condition, library_restored, renamed_food_review  # noqa: F401
from tests.web_helpers import signed_in, token_of

DOCTYPE_BPMN = ('<?xml version="1.0"?>\n<!DOCTYPE lol [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]>\n'
                '<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL">&lol2;</bpmn:definitions>')


def _editor_data(client, key="restaurant") -> dict:
    html = client.get(f"/studio/{key}/bpmn").get_data(as_text=True)
    data = json.loads(re.search(r'<script type="application/json" id="studio-data">(.*?)</script>', html, re.S).group(1))
    data["csrf"] = re.search(r'<meta name="csrf-token" content="([^"]+)"', html).group(1)
    return data


def _save(client, data: dict, xml: str, revision: int | None = None, csrf: str | None = None):
    headers = {"X-CSRFToken": data["csrf"] if csrf is None else csrf}
    return client.post(f"/studio/{data['key']}/bpmn", json={"path": data["path"], "xml": xml,
                                                            "revision": data["revision"] if revision is None else revision},
                       headers=headers)


def _draft(app, key="restaurant"):
    from web import get_db

    with get_db(app).read() as session:
        return drafts.draft_of(session, key)


def _versions(app, key="restaurant"):
    from web import get_db

    with get_db(app).read() as session:
        return [(v.version, v.active) for v in session.scalars(
            select(ProcessVersion).where(ProcessVersion.scenario_key == key).order_by(ProcessVersion.version))]


def _page_form(client, key="restaurant") -> tuple[str, int]:
    html = client.get(f"/studio/{key}").get_data(as_text=True)
    return token_of(html), int(re.search(r'name="revision" value="(\d+)"', html).group(1))


def _upload(client, name: str, content: bytes, key="restaurant"):
    token, revision = _page_form(client, key)
    return client.post(f"/studio/{key}/upload", data={"csrf_token": token, "revision": str(revision),
                                                      "file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data", follow_redirects=True)


def test_the_process_list_shows_every_scenario_its_versions_and_running_cases(app, runtime, intake):
    from tests.walk import start

    start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", has_sign=False)
    client = signed_in(app, "designer")
    html = client.get("/studio").get_data(as_text=True)
    from web import get_db

    with get_db(app).read() as session:
        keys = set(session.scalars(select(ProcessVersion.scenario_key)))
        restaurant = session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == "restaurant"))
    assert LIBRARY_KEYS <= keys and all(f'id="scenario-{key}"' in html for key in keys)
    row = html.split('id="scenario-restaurant"')[1].split("</tr>")[0]
    assert "开办餐馆" in row and "v1" in row and restaurant.content_hash[:10] in row and "v1: 1" in row
    assert "流程工作室" in html  # the designer's menu entry


@pytest.mark.parametrize("who", ["designer", "admin"])
def test_designers_and_admins_open_every_studio_page(app, who):
    client = signed_in(app, who)
    for url in ("/studio", "/studio/restaurant", "/studio/restaurant/bpmn", "/studio/restaurant/folder.zip",
                "/studio/restaurant/v1.zip", "/studio/restaurant/files/restaurant.bpmn"):
        assert client.get(url).status_code == 200, url
    assert client.get("/studio/no_such_scenario").status_code == 404
    assert client.get("/studio/restaurant/files/nothing.bpmn").status_code == 404


@pytest.mark.parametrize("who", ["clerk", "rev_sj", "supervisor", "applicant"])
def test_everyone_else_is_refused_and_nothing_is_written(app, who):
    client = signed_in(app, who)
    for url in ("/studio", "/studio/restaurant", "/studio/restaurant/bpmn", "/studio/restaurant/folder.zip",
                "/studio/restaurant/files/restaurant.bpmn"):
        assert client.get(url).status_code == 403, url
    token = token_of(client.get("/inbox").get_data(as_text=True))
    bpmn = one_task_process("studio_other").encode()
    posts = [("/studio/restaurant/bpmn", {"json": {"path": "restaurant.bpmn", "xml": "<x/>", "revision": 0},
                                          "headers": {"X-CSRFToken": token}}),
             ("/studio/restaurant/upload", {"data": {"csrf_token": token, "revision": "0",
                                                     "file": (io.BytesIO(bpmn), "restaurant.bpmn")}}),
             ("/studio/restaurant/deploy", {"data": {"csrf_token": token, "revision": "1"}}),
             ("/studio/restaurant/discard", {"data": {"csrf_token": token, "revision": "1"}}),
             ("/studio/new", {"data": {"csrf_token": token, "file": (io.BytesIO(bpmn), "studio_other.bpmn")}})]
    for url, kwargs in posts:
        assert client.post(url, **kwargs).status_code == 403, url
    assert _draft(app) is None and _draft(app, "studio_other") is None
    assert signed_in(app, "designer").get("/studio").status_code == 200
    assert "流程工作室" not in client.get("/inbox").get_data(as_text=True)


def test_anonymous_visitors_are_sent_to_sign_in(app):
    response = app.test_client().get("/studio/restaurant/bpmn")
    assert response.status_code == 302 and "/auth/login" in response.headers["Location"]


def test_posts_without_the_csrf_token_are_refused(app):
    client = signed_in(app, "designer")
    data = _editor_data(client)
    assert _save(client, data, data["xml"], csrf="").status_code == 400
    assert client.post("/studio/restaurant/upload", data={"revision": "0", "file": (io.BytesIO(b"<x/>"), "a.bpmn")},
                       content_type="multipart/form-data").status_code == 400
    assert client.post("/studio/restaurant/deploy", data={"revision": "0"}).status_code == 400
    assert _draft(app) is None


def test_the_editor_saves_and_gets_the_new_revision_and_problems(app):
    client = signed_in(app, "designer")
    data = _editor_data(client)
    assert (data["path"], data["revision"], data["problems"]) == ("restaurant.bpmn", 0, [])
    assert 'id="Task_FoodReview"' in data["xml"]
    response = _save(client, data, broken_condition(data["xml"]))
    assert response.status_code == 200
    body = response.get_json()
    assert body["revision"] == 1
    assert [(p["file"], p["element"]) for p in body["problems"]] == [("restaurant.bpmn", "Flow_FoodReviewPassed")]
    # The editor reopens the draft with its problems; the scenario page lists them and offers no deploy.
    data = _editor_data(client)
    assert data["revision"] == 1 and data["problems"] == body["problems"]
    page = client.get("/studio/restaurant").get_data(as_text=True)
    assert "Flow_FoodReviewPassed" in page and re.search(r'<button type="submit" class="primary" disabled', page)
    body = _save(client, data, renamed_food_review(data["xml"].replace(
        "__import__('os').system('true')", "approvals['food']['decision'] == 'approve'"))).get_json()
    assert (body["revision"], body["problems"]) == (2, [])


def test_a_save_of_a_stale_revision_says_who_changed_the_draft_and_loses_nothing(app):
    designer, admin = signed_in(app, "designer"), signed_in(app, "admin")
    seen_by_designer, seen_by_admin = _editor_data(designer), _editor_data(admin)
    admins = renamed_food_review(seen_by_admin["xml"], "管理员的改动")
    assert _save(admin, seen_by_admin, admins).status_code == 200
    response = _save(designer, seen_by_designer, renamed_food_review(seen_by_designer["xml"], "设计员的改动"))
    assert response.status_code == 409
    body = response.get_json()
    assert body["code"] == "stale_draft" and "系统管理员" in body["message"] and "第 1 稿" in body["message"]
    assert "管理员的改动" in _draft(app).files["restaurant.bpmn"]
    # A stale deploy from the scenario page is refused too, with the same explanation.
    token = token_of(designer.get("/studio/restaurant").get_data(as_text=True))
    page = designer.post("/studio/restaurant/deploy", data={"csrf_token": token, "revision": "0"},
                         follow_redirects=True).get_data(as_text=True)
    assert "草稿已被 系统管理员" in page
    assert _versions(app) == [(1, True)]


@pytest.mark.parametrize("name, content, says", [
    ("restaurant.bpmn", DOCTYPE_BPMN.encode(), "DOCTYPE"),
    ("permits.dmn", DOCTYPE_BPMN.replace("bpmn:definitions", "definitions").encode(), "DOCTYPE"),
    ("restaurant.bpmn", b"this is not XML", "not well-formed XML"),
    ("restaurant.bpmn", b"\xff\xfe<x/>", "not UTF-8"),
    ("restaurant.bpmn", b" " * (5 * 1024 * 1024 + 1), "larger than 5 MiB"),
    ("notes.exe", b"MZ", "upload a .bpmn, .dmn or .json file"),
    ("intake.json", b"[]", "top level must be an object"),
])
def test_hostile_or_broken_uploads_are_refused_whole(app, name, content, says):
    client = signed_in(app, "designer")
    page = _upload(client, name, content).get_data(as_text=True)
    assert "文件被拒绝，未保存任何内容。" in page and says in page
    assert _draft(app) is None  # no draft was even started


def test_an_editor_save_of_unsafe_xml_is_refused_and_nothing_written(app):
    client = signed_in(app, "designer")
    data = _editor_data(client)
    response = _save(client, data, DOCTYPE_BPMN)
    assert response.status_code == 422
    body = response.get_json()
    assert body["code"] == "refused" and "DOCTYPE" in body["problems"][0]["message"]
    assert body["message"] == "文件被拒绝，未保存任何内容。"
    assert _draft(app) is None


def test_a_downloaded_bpmn_renamed_by_the_browser_replaces_the_file_of_its_process(app):
    client = signed_in(app, "designer")
    xml = client.get("/studio/restaurant/files/restaurant.bpmn").get_data(as_text=True)
    page = _upload(client, "restaurant (1).bpmn", renamed_food_review(xml).encode()).get_data(as_text=True)
    assert "已上传" in page
    files = _draft(app).files
    assert sorted(p for p in files if p.endswith(".bpmn")) == ["restaurant.bpmn"]
    assert "材料审核（新）" in files["restaurant.bpmn"]


def test_an_upload_with_an_expression_the_evaluator_refuses_is_refused(app):
    client = signed_in(app, "designer")
    xml = client.get("/studio/restaurant/files/restaurant.bpmn").get_data(as_text=True)
    page = _upload(client, "restaurant.bpmn", broken_condition(xml).encode()).get_data(as_text=True)
    assert "文件被拒绝" in page and "Flow_FoodReviewPassed" in page
    assert _draft(app) is None
    page = _upload(client, "restaurant.bpmn", renamed_food_review(xml).encode()).get_data(as_text=True)
    assert "已上传 restaurant.bpmn 到草稿" in page
    assert "材料审核（新）" in _draft(app).files["restaurant.bpmn"]


def test_deploy_makes_version_2_for_new_cases_while_running_cases_stay_on_1(app, runtime, intake, library_restored):
    from tests.walk import start

    answers = dict(has_company=True, uscc="91420103MA4KXXXX0Q", area_m2=40, has_sign=False,
                   discharge_to_sewer=False, remote_inspection=False)
    old = start(runtime, intake, **answers)
    client = signed_in(app, "designer")
    data = _editor_data(client)
    assert _save(client, data, renamed_food_review(data["xml"])).get_json()["problems"] == []
    token, revision = _page_form(client)
    page = client.post("/studio/restaurant/deploy", data={"csrf_token": token, "revision": str(revision)},
                       follow_redirects=True).get_data(as_text=True)
    assert "已发布第 2 版" in page
    assert _versions(app) == [(1, False), (2, True)] and _draft(app) is None
    new = start(runtime, intake, **answers)
    assert old.case().process_version_id != new.case().process_version_id
    titles = {i.case_id: i.title_zh for i in old.open_items() + new.open_items() if i.task_spec == "Task_FoodReview"}
    assert titles == {old.case_id: "食品经营许可 材料审查", new.case_id: "食品经营许可 材料审核（新）"}
    listing = client.get("/studio").get_data(as_text=True).split('id="scenario-restaurant"')[1].split("</tr>")[0]
    assert "v2: 1" in listing and "v1: 1" in listing


def test_downloads_are_the_scenario_folder_for_the_desktop_modeler(app):
    client = signed_in(app, "designer")
    bpmn = client.get("/studio/restaurant/files/restaurant.bpmn")
    assert bpmn.headers["Content-Disposition"] == 'attachment; filename="restaurant.bpmn"'
    text = bpmn.get_data(as_text=True)
    assert 'xmlns:camunda="http://camunda.org/schema/1.0/bpmn"' in text and "<bpmndi:BPMNDiagram" in text
    archive = zipfile.ZipFile(io.BytesIO(client.get("/studio/restaurant/folder.zip").data))
    assert sorted(archive.namelist()) == sorted(
        f"restaurant/{p}" for p in ("restaurant.bpmn", "materials.dmn", "permits.dmn", "metadata.json",
                                    "forms/env_filing.json", "forms/food_review.json", "forms/restaurant_intake.json"))
    assert archive.read("restaurant/restaurant.bpmn").decode() == text
    assert client.get("/studio/restaurant/v1.zip").data == client.get("/studio/restaurant/folder.zip").data


def test_a_new_scenario_starts_from_an_uploaded_bpmn(app, library_restored):
    client = signed_in(app, "designer")
    token = token_of(client.get("/studio").get_data(as_text=True))
    page = client.post("/studio/new", data={"csrf_token": token, "key": "",
                                            "file": (io.BytesIO(one_task_process("studio_new").encode()), "new.bpmn")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "已新建事项 studio_new 的草稿" in page
    # The file takes the scenario folder's convention: <key>/<key>.bpmn.
    assert sorted(_draft(app, "studio_new").files) == ["metadata.json", "studio_new.bpmn"]
    assert 'id="scenario-studio_new"' in client.get("/studio").get_data(as_text=True)
    token, revision = _page_form(client, "studio_new")
    page = client.post("/studio/studio_new/deploy", data={"csrf_token": token, "revision": str(revision)},
                       follow_redirects=True).get_data(as_text=True)
    assert "已发布第 1 版" in page and _versions(app, "studio_new") == [(1, True)]
    page = client.post("/studio/new", data={"csrf_token": token, "file": (io.BytesIO(DOCTYPE_BPMN.encode()), "x.bpmn")},
                       content_type="multipart/form-data", follow_redirects=True).get_data(as_text=True)
    assert "DOCTYPE" in page


def test_discarding_a_draft(app):
    client = signed_in(app, "designer")
    data = _editor_data(client)
    _save(client, data, renamed_food_review(data["xml"]))
    token, revision = _page_form(client)
    page = client.post("/studio/restaurant/discard", data={"csrf_token": token, "revision": str(revision)},
                       follow_redirects=True).get_data(as_text=True)
    assert "草稿已放弃" in page and _draft(app) is None
    from web import get_db

    with get_db(app).read() as session:
        assert session.scalar(select(ProcessDraft.id)) is None


def test_the_studio_in_english(app):
    client = signed_in(app, "designer")
    client.get("/lang/en")
    html = client.get("/studio/restaurant").get_data(as_text=True)
    assert "Open the process editor" in html and "Open a restaurant" in html


def test_a_file_is_removed_from_the_draft_on_the_scenario_page(app):
    designer = signed_in(app, "designer")
    page = designer.get("/studio/restaurant").get_data(as_text=True)
    token = token_of(page)
    assert designer.post("/studio/restaurant/upload", data={"csrf_token": token, "revision": 0, "file": (
        io.BytesIO(b'{"type": "object", "properties": {}}'), "spare.json")}).status_code == 302
    page = designer.get("/studio/restaurant").get_data(as_text=True)
    assert 'name="path" value="forms/spare.json"' in page
    assert 'name="path" value="metadata.json"' not in page and 'name="path" value="restaurant.bpmn"' not in page
    clerk = signed_in(app, "clerk")
    assert clerk.post("/studio/restaurant/remove", data={
        "csrf_token": token_of(clerk.get("/inbox").get_data(as_text=True)), "revision": 1,
        "path": "forms/spare.json"}).status_code == 403
    done = designer.post("/studio/restaurant/remove", data={"csrf_token": token, "revision": 1,
                                                            "path": "forms/spare.json"}, follow_redirects=True)
    assert "已从草稿中删除 forms/spare.json" in done.get_data(as_text=True)
    with app.extensions["onewindow.db"].read() as session:
        assert "forms/spare.json" not in drafts.draft_of(session, "restaurant").files
    kept = designer.post("/studio/restaurant/remove", data={"csrf_token": token, "revision": 2, "path": "metadata.json"},
                         follow_redirects=True).get_data(as_text=True)
    assert "main diagram stay" in kept
