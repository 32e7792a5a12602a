"""The JSON API under /api/v1/: personal tokens and session calls with their
CSRF header, every endpoint's happy path, the same role and department
checks as the pages (another department's case or task is a 404), errors as
{code, message}, the OpenAPI document, and a whole restaurant case walked
through the API alone."""
from __future__ import annotations

import hashlib
import json
import random

import pytest
from click.testing import CliRunner
from sqlalchemy import update

from engine.api_tokens import create_token
from engine.simulation.actors import demo_actor
from engine.simulation.answers import answer
from models import ApiToken, User
from tests.walk import start
from web.cli import main as cli_main

from .web_helpers import signed_in

COMPANY = {"has_company": True, "uscc": "91420103MA4KXXXX0Q"}


class Api:
    """A test client that calls as one user with a bearer token."""

    def __init__(self, app, db, username: str):
        with db.write() as session:
            self.token = create_token(session, username, "tests").token
        self.client = app.test_client()
        self.username = username

    def call(self, method: str, path: str, body=None, **kwargs):
        headers = {"Authorization": f"Bearer {self.token}", **kwargs.pop("headers", {})}
        if body is not None:
            kwargs["json"] = body
        return self.client.open("/api/v1" + path, method=method, headers=headers, **kwargs)

    def get(self, path, **kwargs):
        return self.call("GET", path, **kwargs)

    def post(self, path, body=None, **kwargs):
        return self.call("POST", path, body, **kwargs)


@pytest.fixture
def as_user(app, db):  # noqa: F811
    cache: dict[str, Api] = {}

    def get(username: str) -> Api:
        if username not in cache:
            cache[username] = Api(app, db, username)
        return cache[username]

    return get


def case_with_company(runtime, intake):
    return start(runtime, intake, **COMPANY)


# ------------------------------------------------------------------ authentication

def test_token_from_the_cli_is_shown_once_stored_hashed_used_and_revoked(app, db, monkeypatch):  # noqa: F811
    monkeypatch.setenv("DATABASE_URL", db.url)
    runner = CliRunner()
    created = runner.invoke(cli_main, ["token", "create", "--as", "rev_sj", "--name", "nightly", "--json"])
    assert created.exit_code == 0, created.output
    new = json.loads(created.stdout)
    token = new["token"]
    assert len(token) >= 43 and new["user"] == "rev_sj"
    with db.read() as session:
        row = session.get(ApiToken, new["id"])
        assert row.token_hash == hashlib.sha256(token.encode()).hexdigest()
        assert token not in (row.name, row.token_hash) and row.last_used_at is None
    client = app.test_client()
    me = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert me.status_code == 200
    assert me.json["username"] == "rev_sj" and me.json["auth"] == "token"
    assert me.json["department"]["code"] == "SJ" and "csrf_token" not in me.json
    with db.read() as session:
        assert session.get(ApiToken, new["id"]).last_used_at is not None
    listed = json.loads(runner.invoke(cli_main, ["token", "list", "--as", "rev_sj", "--json"]).stdout)
    assert [t["name"] for t in listed] == ["nightly"] and "token" not in listed[0]
    revoked = runner.invoke(cli_main, ["token", "revoke", "--as", "rev_sj", "--id", str(new["id"])])
    assert revoked.exit_code == 0, revoked.output
    refused = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    assert refused.status_code == 401 and refused.json["code"] == "invalid_token"
    assert runner.invoke(cli_main, ["token", "revoke", "--as", "rev_sj", "--id", str(new["id"])]).exit_code == 1


def test_missing_bad_and_inactive_credentials_are_401_in_json(app, db, as_user):  # noqa: F811
    client = app.test_client()
    response = client.get("/api/v1/me")
    assert response.status_code == 401 and response.json["code"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert client.get("/api/v1/me", headers={"Authorization": "Basic abc"}).status_code == 401
    assert client.get("/api/v1/me", headers={"Authorization": "Bearer not-a-token"}).json["code"] == "invalid_token"
    api = as_user("rev_xf2")
    assert api.get("/me").status_code == 200
    set_active(db, "rev_xf2", False)
    try:
        assert api.get("/me").status_code == 401
        with db.write() as session:  # an inactive user gets no new token either
            with pytest.raises(Exception, match="inactive"):
                create_token(session, "rev_xf2", "again")
    finally:  # users outlive a test on PostgreSQL
        set_active(db, "rev_xf2", True)


def set_active(db, username: str, active: bool) -> None:
    with db.write() as session:
        session.execute(update(User).where(User.username == username).values(active=active))


def test_http_errors_under_the_api_are_json(app, as_user):  # noqa: F811
    api = as_user("clerk")
    missing = api.get("/no-such-thing")
    assert missing.status_code == 404 and missing.json["code"] == "not_found"
    wrong = api.call("DELETE", "/me")
    assert wrong.status_code == 405 and wrong.json["code"] == "method_not_allowed"
    assert "GET" in wrong.headers["Allow"]
    assert app.test_client().get("/api/v1/nothing-here").json["code"] == "not_found"
    page = app.test_client().get("/no-such-page")
    assert page.status_code == 404 and page.mimetype == "text/html"  # pages stay pages


def test_session_calls_need_the_csrf_header_to_change_anything(app, runtime, intake):  # noqa: F811
    walk = case_with_company(runtime, intake)
    item = walk.item("Task_Env")
    browser = signed_in(app, "rev_hb")
    me = browser.get("/api/v1/me")
    assert me.status_code == 200 and me.json["auth"] == "session"
    csrf = me.json["csrf_token"]
    url = f"/api/v1/cases/{walk.case_id}/tasks/{item.task_id}/claim"
    refused = browser.post(url)
    assert refused.status_code == 400 and refused.json["code"] == "csrf_failed"
    assert browser.post(url, headers={"X-CSRFToken": "forged"}).status_code == 400
    assert walk.item("Task_Env").claimed_by_name == ""
    claimed = browser.post(url, headers={"X-CSRFToken": csrf})
    assert claimed.status_code == 200, claimed.json
    assert walk.item("Task_Env").claimed_by_name == "rev_hb"
    # Reading needs no CSRF header.
    assert browser.get(f"/api/v1/cases/{walk.case_id}").status_code == 200


def test_bearer_calls_need_no_csrf_header(runtime, intake, as_user):
    walk = case_with_company(runtime, intake)
    item = walk.item("Task_Env")
    response = as_user("rev_hb").post(f"/cases/{walk.case_id}/tasks/{item.task_id}/claim")
    assert response.status_code == 200 and response.json["reference"] == walk.case().reference


# ------------------------------------------------------------------ endpoints

def test_processes_lists_the_active_versions(as_user):
    rows = as_user("rev_sj").get("/processes").json
    restaurant = next(r for r in rows if r["key"] == "restaurant")
    assert restaurant["name_zh"] == "开办餐馆" and restaurant["version"] == 1
    assert restaurant["category"] != "shared_block" and isinstance(restaurant["promised_working_days"], int)
    assert any(r["category"] == "shared_block" for r in rows)


def test_clerk_starts_a_case_and_reads_it(as_user, intake):
    clerk = as_user("clerk")
    response = clerk.post("/cases", {"scenario": "restaurant", "data": {**intake, **COMPANY}})
    assert response.status_code == 201, response.json
    case = response.json
    assert response.headers["Location"].endswith(f"/api/v1/cases/{case['id']}")
    assert case["status"] == "running" and case["reference"].startswith("JH-")
    assert case["scenario"] == "restaurant" and case["process_version"] == 1
    assert {i["task"] for i in case["work_items"]} >= {"Task_FoodReview", "Task_Env"}
    assert [e["kind"] for e in case["events"]][:2] == ["case_started", "task_completed"]
    assert case["data"]["proposed_name"] == intake["proposed_name"]
    again = clerk.get(f"/cases/{case['id']}").json
    assert again["version"] == case["version"] and again["work_items"] == case["work_items"]


def test_starting_with_an_invalid_intake_is_422_with_the_field_errors(as_user, intake):
    response = as_user("clerk").post("/cases", {"scenario": "restaurant", "data": {
        **intake, "legal_rep_id_no": intake["legal_rep_id_no"][:-1] + "0"}})
    assert response.status_code == 422
    assert response.json["code"] == "invalid_data"
    error = response.json["errors"]["legal_rep_id_no"]
    assert "身份证号码校验位不正确" in error["zh"] and error["en"]


def test_bad_bodies_are_422_with_field_messages(as_user, runtime, intake):
    clerk = as_user("clerk")
    response = clerk.post("/cases", {"data": "not an object", "extra": 1})
    assert response.status_code == 422 and response.json["code"] == "invalid_request"
    errors = response.json["errors"]
    assert set(errors) == {"scenario", "data", "extra"}
    assert all(isinstance(m, list) and m for m in errors.values())
    not_json = clerk.post("/cases", data="{oops", headers={"Content-Type": "application/json"})
    assert not_json.status_code == 400 and not_json.json["code"] == "invalid_json"
    walk = case_with_company(runtime, intake)
    item = walk.item("Task_Env")
    bad = as_user("rev_hb").post(f"/cases/{walk.case_id}/tasks/{item.task_id}/complete",
                                 {"data": [], "seen_version": "x"})
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"data", "seen_version"}
    assert as_user("clerk").post("/cases", {"scenario": "nope", "data": {}}).status_code == 404


def test_only_clerks_start_cases(as_user, intake):
    response = as_user("rev_sj").post("/cases", {"scenario": "restaurant", "data": intake})
    assert response.status_code == 403 and response.json["code"] == "forbidden"


def test_work_items_is_the_departments_queue_with_its_filters(as_user, runtime, intake):
    walk = case_with_company(runtime, intake)
    fire = as_user("rev_xf")
    page = fire.get("/work-items").json
    assert page["total"] == 1 and page["page"] == 1 and page["pages"] == 1
    item = page["items"][0]
    assert item["task"] == "Task_OnsiteInspection" and item["department"] == "XF"
    assert item["case_id"] == walk.case_id and item["case_version"] == walk.case().version
    assert item["claimed_by"] is None and item["scenario"] == "restaurant"
    food = as_user("rev_sj").get("/work-items?scenario=restaurant").json
    assert {i["task"] for i in food["items"]} == {"Task_FoodReview"}
    assert as_user("rev_sj").get("/work-items?scenario=other").json["total"] == 0
    assert fire.get("/work-items?show=mine").json["total"] == 0
    fire.post(f"/cases/{walk.case_id}/tasks/{item['task_id']}/claim")
    assert fire.get("/work-items?show=mine").json["items"][0]["claimed_by"] == "rev_xf"
    assert fire.get("/work-items?show=unclaimed").json["total"] == 0
    assert fire.get("/work-items?due=overdue").json["total"] == 0
    assert fire.get("/work-items?page=2&page_size=1").json["items"] == []
    bad = fire.get("/work-items?show=everything&page_size=101&page=0&colour=red")
    assert bad.status_code == 422 and set(bad.json["errors"]) == {"show", "page_size", "page", "colour"}
    assert as_user("designer").get("/work-items").status_code == 403


def test_claim_and_release(as_user, runtime, intake):
    walk = case_with_company(runtime, intake)
    item = walk.item("Task_OnsiteInspection:drainage")
    url = f"/cases/{walk.case_id}/tasks/{item.task_id}"
    first, second = as_user("rev_swj"), as_user("rev_swj2")
    claimed = first.post(url + "/claim")
    assert claimed.status_code == 200
    assert next(i for i in claimed.json["work_items"] if i["task_id"] == item.task_id)["claimed_by"] == "rev_swj"
    taken = second.post(url + "/claim")
    assert taken.status_code == 409 and "rev_swj" in taken.json["message"]
    assert second.post(url + "/release").status_code == 409
    assert first.post(url + "/release").status_code == 200
    assert walk.item("Task_OnsiteInspection:drainage").claimed_by_name == ""


def test_task_is_read_with_its_form_and_completed(as_user, runtime, intake):
    walk = case_with_company(runtime, intake)
    item = walk.item("Task_Sign")
    cg = as_user("rev_cg")
    task = cg.get(f"/cases/{walk.case_id}/tasks/{item.task_id}").json
    assert task["task"] == "Task_Sign" and "decision" in task["form"]["properties"]
    url = f"/cases/{walk.case_id}/tasks/{item.task_id}/complete"
    refused = cg.post(url, {"data": {"decision": "approve"}, "seen_version": task["case_version"]})
    assert refused.status_code == 422 and refused.json["code"] == "invalid_data"
    assert set(refused.json["errors"]["licence_no"]) == {"zh", "en"}  # required on approval
    done = cg.post(url, {"data": {"decision": "approve", "licence_no": "江汉城管招字2026-001"},
                         "seen_version": task["case_version"]})
    assert done.status_code == 200, done.json
    assert done.json["version"] > task["case_version"] and done.json["reran_on_fresh_state"] is False
    assert item.task_id not in {i["task_id"] for i in done.json["work_items"]}
    assert walk.data()["approvals"]["sign"]["by"] == "rev_cg"


def test_stale_seen_version_on_a_completed_task_is_409_naming_who(as_user, runtime, intake):
    walk = case_with_company(runtime, intake)
    item = walk.item("Task_Env")
    hb = as_user("rev_hb")
    seen = hb.get(f"/cases/{walk.case_id}/tasks/{item.task_id}").json["case_version"]
    walk.complete("Task_Env", actor="rev_hb2", decision="approve")  # a colleague was quicker
    response = hb.post(f"/cases/{walk.case_id}/tasks/{item.task_id}/complete",
                       {"data": {"decision": "reject", "reason": "材料不全"}, "seen_version": seen})
    assert response.status_code == 409 and response.json["code"] == "conflict"
    assert "already completed by rev_hb2" in response.json["message"]
    assert walk.data()["approvals"]["env"]["decision"] == "approve"
    gone = hb.get(f"/cases/{walk.case_id}/tasks/{item.task_id}")
    assert gone.status_code == 404


def test_another_department_sees_neither_the_case_nor_the_task(as_user, runtime, intake):
    walk = case_with_company(runtime, intake)
    fire_item = walk.item("Task_OnsiteInspection:fire")
    # GA has no part in this case (no company set-up): the case is a 404...
    ga = as_user("rev_ga")
    assert ga.get(f"/cases/{walk.case_id}").status_code == 404
    for action in ("claim", "release", "complete"):
        response = ga.post(f"/cases/{walk.case_id}/tasks/{fire_item.task_id}/{action}",
                           {"data": {"decision": "approve"}} if action == "complete" else None)
        assert response.status_code == 404 and response.json["code"] == "not_found", action
    # ...SJ sees the case (it has work in it) but not the fire brigade's task.
    sj = as_user("rev_sj")
    assert sj.get(f"/cases/{walk.case_id}").status_code == 200
    assert sj.get(f"/cases/{walk.case_id}/tasks/{fire_item.task_id}").status_code == 404
    response = sj.post(f"/cases/{walk.case_id}/tasks/{fire_item.task_id}/complete",
                       {"data": {"decision": "approve", "mode": "on_site"}})
    assert response.status_code == 404
    assert "Task_OnsiteInspection:fire" in walk.open_tasks()  # nothing happened
    # A finished task of another department is hidden too, not "completed by ...".
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    assert sj.post(f"/cases/{walk.case_id}/tasks/{fire_item.task_id}/complete", {"data": {}}).status_code == 404
    assert as_user("clerk").get("/cases/999999").status_code == 404


def test_withdraw(as_user, runtime, intake):
    walk = case_with_company(runtime, intake)
    assert as_user("rev_sj").post(f"/cases/{walk.case_id}/withdraw").status_code == 403
    clerk = as_user("clerk")
    response = clerk.post(f"/cases/{walk.case_id}/withdraw", {"reason": "申请人撤回"})
    assert response.status_code == 200 and response.json["status"] == "withdrawn"
    assert response.json["work_items"] == []
    again = clerk.post(f"/cases/{walk.case_id}/withdraw")
    assert again.status_code == 409 and "withdrawn" in again.json["message"]
    case = clerk.get(f"/cases/{walk.case_id}").json
    assert case["status"] == "withdrawn" and case["events"][-1]["kind"] == "withdrawn"
    assert clerk.post(f"/cases/{walk.case_id}/withdraw", {"reason": 5}).status_code == 422


# ------------------------------------------------------------------ OpenAPI

def test_openapi_document_is_valid_and_lists_every_route(app):  # noqa: F811
    from openapi_spec_validator import validate

    response = app.test_client().get("/api/v1/openapi.json")  # no sign-in needed
    assert response.status_code == 200
    document = response.json
    validate(document)
    assert document["openapi"].startswith("3.") and document["info"]["title"]
    assert {"bearerAuth", "sessionCookie"} <= set(document["components"]["securitySchemes"])
    routes = {(rule.rule, method.lower()) for rule in app.url_map.iter_rules()
              if rule.rule.startswith("/api/v1/") for method in rule.methods - {"HEAD", "OPTIONS"}}
    documented = {(path.replace("{", "<").replace("}", ">"), method)
                  for path, item in document["paths"].items() for method in item if method != "parameters"}
    normalized = {(rule.replace("<int:", "<"), method) for rule, method in routes}
    assert normalized == documented
    for item in document["paths"].values():
        for method, operation in item.items():
            if method != "parameters":
                assert operation["responses"] and operation["summary"] and operation["operationId"]
    complete = document["paths"]["/api/v1/cases/{case_id}/tasks/{task_id}/complete"]["post"]
    assert complete["requestBody"]["content"]["application/json"]["schema"] == {
        "$ref": "#/components/schemas/CompleteTask"}


# ------------------------------------------------------------------ a whole case

DECISIONS = {"decision": "approve", "mode": "on_site", "method": "window", "complete": True}


def test_a_restaurant_case_walked_through_the_api_alone(as_user, intake):
    """Start at the window, then complete every open work item as a demo
    member of its department, reading the task's form from the API and
    answering it with generated valid data, until the case completes."""
    rng = random.Random(7)
    clerk = as_user("clerk")
    started = clerk.post("/cases", {"scenario": "restaurant", "data": intake})
    assert started.status_code == 201, started.json
    case_id = started.json["id"]
    done: list[str] = []
    for _ in range(80):
        case = clerk.get(f"/cases/{case_id}").json
        if case["status"] != "running":
            break
        assert case["work_items"], f"running with nothing to do after {done}"
        item = case["work_items"][0]
        actor = as_user(demo_actor(item["department"]))
        queue = actor.get("/work-items?page_size=100").json
        assert item["task_id"] in {i["task_id"] for i in queue["items"]}
        task = actor.get(f"/cases/{case_id}/tasks/{item['task_id']}").json
        schema = task["form"] or {}
        fixed = {k: v for k, v in DECISIONS.items() if k in schema.get("properties", {})}
        response = actor.post(f"/cases/{case_id}/tasks/{item['task_id']}/complete",
                              {"data": answer(schema, fixed, rng), "seen_version": task["case_version"]})
        assert response.status_code == 200, (item["task"], response.json)
        done.append(f"{item['task']}@{item['department']}")
    assert case["status"] == "completed", done
    assert case["data"]["outcome"] == "approved"
    assert {"Task_Registration@SJ", "Task_FoodReview@SJ", "Task_Delivery@CK"} <= set(done)
    assert case["events"][-1]["kind"] == "task_completed" and case["work_items"] == []


def test_a_deactivated_users_session_is_401(app, db):  # noqa: F811
    browser = signed_in(app, "clerk2")
    assert browser.get("/api/v1/me").status_code == 200
    set_active(db, "clerk2", False)
    try:
        response = browser.get("/api/v1/me")
        assert response.status_code == 401 and response.json["code"] == "unauthorized"
    finally:
        set_active(db, "clerk2", True)
