"""The case map: /cases/<id>/map.json says, for the process and every called
block instance run, which elements are done, open and overdue; only who may
see the case sees its map; the case and task pages draw it with bpmn-js
when `make install` copied bpmn-js into web/static/vendor, and say why not
otherwise."""
from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from models import WorkItem, utcnow
from tests.web_helpers import signed_in
from tests.walk import start
from web import vendor


def diagrams(client, case_id: int) -> tuple[dict, dict]:
    response = client.get(f"/cases/{case_id}/map.json")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    data = response.get_json()
    return data, {d["key"]: d for d in data["diagrams"]}


def test_map_after_intake_shows_the_company_setup_running(app, runtime, intake):  # noqa: F811
    walk = start(runtime, intake)  # no company yet: the company set-up block runs first
    data, by_key = diagrams(signed_in(app, "clerk"), walk.case_id)
    main = by_key["main"]
    assert main["process"] == "restaurant" and main["parent"] is None
    assert {"StartEvent_Application", "Task_Intake", "Task_Permits", "Task_Materials"} <= set(main["completed"])
    assert main["active"] == ["Call_CompanySetup"] and main["overdue"] == []
    assert not {"Task_FoodReview", "Call_FireInspection"} & set(main["completed"] + main["active"])
    [block_key] = main["calls"]["Call_CompanySetup"]
    block = by_key[block_key]
    assert (block["process"], block["parent"], block["call_activity"], block["state"]) == \
        ("company_setup", "main", "Call_CompanySetup", "active")
    assert block["active"] == ["Task_Registration"] and "Task_Registration" in block["tasks"].values()
    assert len(data["diagrams"]) == 2
    # The BPMN of each process, from the version's files, once per process.
    assert set(data["processes"]) == {"restaurant", "company_setup"}
    assert data["processes"]["restaurant"]["file"] == "processes/restaurant/restaurant.bpmn"
    assert '<bpmn:process id="restaurant"' in data["processes"]["restaurant"]["xml"]
    assert '<bpmn:process id="company_setup"' in data["processes"]["company_setup"]["xml"]


def test_map_later_shows_the_finished_fire_inspection_and_overdue_work(app, runtime, db, intake):  # noqa: F811
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    sign = walk.item("Task_Sign")
    with db.write() as session:
        session.get(WorkItem, sign.id).due_at = utcnow() - timedelta(hours=1)
    data, by_key = diagrams(signed_in(app, "clerk"), walk.case_id)
    main = by_key["main"]
    assert "Call_FireInspection" in main["completed"] and "Call_FireInspection" not in main["active"]
    assert {"Task_FoodReview", "Task_Env", "Task_Sign", "Call_DrainageInspection"} <= set(main["active"])
    assert main["overdue"] == ["Task_Sign"]
    assert main["tasks"][sign.task_id] == "Task_Sign"
    assert "Call_CompanySetup" not in main["calls"]  # an existing company: the block never ran
    [fire_key] = main["calls"]["Call_FireInspection"]
    fire = by_key[fire_key]
    assert fire["process"] == "onsite_inspection" and fire["state"] == "completed"
    assert {"StartEvent_Onsite", "Task_OnsiteInspection", "End_Onsite"} <= set(fire["completed"])
    assert fire["active"] == [] and fire["tasks"] == {}
    assert "现场核查" in fire["name"] and "消防" in fire["name"]
    [drainage_key] = main["calls"]["Call_DrainageInspection"]
    assert by_key[drainage_key]["active"] == ["Task_OnsiteInspection"]
    # Two call sites of one block: one copy of its BPMN.
    assert set(data["processes"]) == {"restaurant", "onsite_inspection"}
    assert len(data["diagrams"]) == 3


def test_map_is_shown_only_to_who_may_see_the_case(app, runtime, intake):  # noqa: F811
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    url = f"/cases/{walk.case_id}/map.json"
    assert signed_in(app, "rev_ga").get(url).status_code == 404  # GA has no part in this case
    assert signed_in(app, "rev_xf").get(url).status_code == 200  # the fire check is XF's
    assert signed_in(app, "clerk").get(f"/cases/{walk.case_id + 1}/map.json").status_code == 404
    anonymous = app.test_client().get(url)
    assert anonymous.status_code == 302 and "/auth/login" in anonymous.headers["Location"]


@pytest.fixture
def no_vendor(monkeypatch, tmp_path):
    monkeypatch.setattr(vendor, "VENDOR_DIR", tmp_path / "vendor")
    return tmp_path / "vendor"


@pytest.fixture
def with_vendor(no_vendor):
    for name in vendor.CASEMAP_FILES:
        (no_vendor / name).parent.mkdir(parents=True, exist_ok=True)
        (no_vendor / name).write_text("/* stand-in */")
    return no_vendor


def test_case_page_draws_the_map_when_bpmn_js_is_installed(app, runtime, intake, with_vendor):  # noqa: F811
    walk = start(runtime, intake)
    page = signed_in(app, "clerk").get(f"/cases/{walk.case_id}").get_data(as_text=True)
    assert "vendor/bpmn-js/bpmn-navigated-viewer.production.min.js" in page
    assert "casemap.js" in page and f'data-src="/cases/{walk.case_id}/map.json"' in page
    assert "已完成" in page and "办理中" in page and "已超期" in page  # the legend
    assert "流程图组件尚未安装" not in page


def test_task_page_focuses_the_map_on_its_task(app, runtime, intake, with_vendor):  # noqa: F811
    walk = start(runtime, intake)
    item = walk.item("Task_Registration")
    page = signed_in(app, "rev_sj").get(f"/cases/{walk.case_id}/tasks/{item.task_id}").get_data(as_text=True)
    assert f'data-focus="{item.task_id}"' in page and "当前环节" in page


def test_pages_say_why_there_is_no_map_without_vendor_files(app, runtime, intake, no_vendor):  # noqa: F811
    walk = start(runtime, intake)
    clerk = signed_in(app, "clerk")
    page = clerk.get(f"/cases/{walk.case_id}").get_data(as_text=True)
    assert "流程图组件尚未安装" in page
    assert "bpmn-navigated-viewer" not in page and "casemap.js" not in page
    item = walk.item("Task_Registration")
    response = signed_in(app, "rev_sj").get(f"/cases/{walk.case_id}/tasks/{item.task_id}")
    assert response.status_code == 200 and "流程图组件尚未安装" in response.get_data(as_text=True)
    assert clerk.get(f"/cases/{walk.case_id}/map.json").status_code == 200  # the data does not need them


def test_vendor_copy_takes_the_viewer_from_node_modules(tmp_path):
    node_modules = tmp_path / "node_modules"
    for source, _ in vendor.COPIES:
        path = node_modules / source
        if source.endswith("bpmn-font"):
            (path / "css").mkdir(parents=True)
            (path / "css" / "bpmn.css").write_text("/* font */")
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(source)
    target = tmp_path / "vendor"
    assert vendor.missing(vendor_dir=target) == list(vendor.CASEMAP_FILES)
    vendor.copy(node_modules, target)
    assert vendor.missing(vendor_dir=target) == []
    assert (target / "bpmn-js/assets/bpmn-font/css/bpmn.css").is_file()
    with pytest.raises(SystemExit, match="npm ci"):
        vendor.copy(tmp_path / "empty", target)


def test_a_correction_round_numbers_the_runs_of_a_block(app, runtime, intake):  # noqa: F811
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", has_sign=False)
    walk.complete("Task_FoodReview", decision="correct", reason="缺少食品安全管理制度")
    walk.complete("Task_OnsiteInspection:fire", decision="approve", mode="on_site")
    walk.complete("Task_Env", decision="approve")
    walk.complete("Task_OnsiteInspection:drainage", decision="correct", mode="on_site", reason="隔油池容量不足")
    walk.complete("Task_CorrectionNotice")
    walk.complete("Task_CorrectionSupply", complete=True)
    clerk = signed_in(app, "clerk")
    _, by_key = diagrams(clerk, walk.case_id)
    main = by_key["main"]
    # Food review ran twice: done once, open again (the page shows it open).
    assert "Task_FoodReview" in main["completed"] and "Task_FoodReview" in main["active"]
    runs = [by_key[k] for k in main["calls"]["Call_DrainageInspection"]]
    assert [r["state"] for r in runs] == ["completed", "active"]
    assert runs[0]["name"].endswith("（第 1 次）") and runs[1]["name"].endswith("（第 2 次）")
    [correction] = [by_key[k] for k in main["calls"]["Call_Correction"]]
    assert correction["process"] == "correction" and correction["state"] == "completed"
    walk.complete("Task_FoodReview", decision="approve")
    walk.complete("Task_OnsiteInspection:food", decision="approve", mode="on_site")
    walk.complete("Task_OnsiteInspection:drainage", decision="approve", mode="on_site")
    walk.complete("Task_Delivery", method="window")
    data, by_key = diagrams(clerk, walk.case_id)
    assert data["case"]["status"] == "completed"
    assert all(not d["active"] for d in data["diagrams"])
    assert "Call_Delivery" in by_key["main"]["completed"]
