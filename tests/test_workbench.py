"""The clerk's and reviewers' pages: the window starts a case from the
merged form; a department's queue shows only its work; the task page keeps
what was typed on a bad form and shows a conflict on a stale page; nobody
opens another department's task or an unrelated case."""
from __future__ import annotations

import re

import pytest
from werkzeug.datastructures import MultiDict

from tests.walk import start
from tests.web_helpers import as_form, signed_in, token_of


def test_window_starts_a_case_from_the_merged_form(app, intake):
    clerk = signed_in(app, "clerk")
    catalog = clerk.get("/window?q=餐").get_data(as_text=True)
    assert "开办餐馆" in catalog and "企业开办" not in catalog  # shared blocks are not services
    page = clerk.get("/window/start/restaurant").get_data(as_text=True)
    bad = as_form({**intake, "legal_rep_id_no": intake["legal_rep_id_no"][:-1] + "0"})
    bad["csrf_token"] = token_of(page)
    response = clerk.post("/window/start/restaurant", data=bad)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "身份证号码校验位不正确" in html
    assert intake["proposed_name"] in html  # what was typed is kept
    good = as_form(intake)
    good["csrf_token"] = token_of(page)
    # Materials: the window must account for every one; one missing means
    # no case, and one notice listing all that is missing.
    good["material.id_card"] = "received"
    response = clerk.post("/window/start/restaurant", data=good)
    assert response.status_code == 422
    notice = response.get_data(as_text=True).split("一次性告知")[1].split("</ol>")[0]
    assert "不动产权证书" in notice and "法定代表人身份证" not in notice
    for key in re.findall(r'name="material\.([a-z_]+)"', page):
        good[f"material.{key}"] = "received"
    good["material.lease_contract"] = "deferred"  # 容缺: may come later with a commitment
    response = clerk.post("/window/start/restaurant", data=good)
    assert response.status_code == 302 and "/receipt" in response.headers["Location"]
    receipt = clerk.get(response.headers["Location"]).get_data(as_text=True)
    assert re.search(r"JH-\d{4}-\d{6}", receipt) and "设立登记" in receipt
    assert "租赁合同及出租方产权证明：容缺后补" in receipt


def test_queue_shows_only_the_departments_work(app, runtime, intake):
    start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    fire = signed_in(app, "rev_xf").get("/queue").get_data(as_text=True)
    assert "消防安全检查" in fire and "食品经营许可" not in fire
    food = signed_in(app, "rev_sj").get("/queue").get_data(as_text=True)
    assert "食品经营许可" in food and "消防安全检查" not in food


def test_reviewer_cannot_open_another_departments_task_or_an_unrelated_case(app, runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    fire_item = walk.item("Task_OnsiteInspection:fire")
    sj = signed_in(app, "rev_sj")
    assert sj.get(f"/cases/{walk.case_id}/tasks/{fire_item.task_id}").status_code == 404
    # GA has no part in this case (no company set-up): not even the case page.
    assert signed_in(app, "rev_ga").get(f"/cases/{walk.case_id}").status_code == 404
    assert sj.get(f"/cases/{walk.case_id}").status_code == 200
    assert sj.get("/window").status_code == 403
    assert app.test_client().get("/queue").status_code == 302  # to the sign-in page


def test_task_form_keeps_what_was_typed_and_completes(app, runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    item = walk.item("Task_Sign")
    cg = signed_in(app, "rev_cg")
    url = f"/cases/{walk.case_id}/tasks/{item.task_id}"
    page = cg.get(url).get_data(as_text=True)
    assert "户外招牌" in page and "各部门办理情况" in page
    version = re.search(r'name="seen_version" value="(\d+)"', page).group(1)
    response = cg.post(url, data={"csrf_token": token_of(page), "seen_version": version,
                                  "decision": "approve", "opinion": "尺寸符合规定"})
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert "尺寸符合规定" in html and "此项为必填项" in html  # licence number required on approval
    response = cg.post(url, data={"csrf_token": token_of(page), "seen_version": version,
                                  "decision": "approve", "licence_no": "江汉城管招字2026-001"})
    assert response.status_code == 302
    assert walk.data()["approvals"]["sign"]["licence_no"] == "江汉城管招字2026-001"
    assert walk.data()["approvals"]["sign"]["by"] == "rev_cg"


def test_stale_page_shows_the_conflict_instead_of_losing_work(app, runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    item = walk.item("Task_Env")
    url = f"/cases/{walk.case_id}/tasks/{item.task_id}"
    first = signed_in(app, "rev_hb")
    page = first.get(url).get_data(as_text=True)
    walk.complete("Task_Env", actor="rev_hb2", decision="approve")  # a colleague was quicker
    version = re.search(r'name="seen_version" value="(\d+)"', page).group(1)
    response = first.post(url, data={"csrf_token": token_of(page), "seen_version": version,
                                     "decision": "reject", "reason": "材料不全"})
    assert response.status_code == 409
    assert "rev_hb2" in response.get_data(as_text=True)
    assert walk.data()["approvals"]["env"]["decision"] == "approve"


def test_claim_and_release_from_the_queue(app, runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    item = walk.item("Task_OnsiteInspection:drainage")
    swj = signed_in(app, "rev_swj")
    page = swj.get("/queue").get_data(as_text=True)
    token = token_of(page)
    assert swj.post(f"/cases/{walk.case_id}/tasks/{item.task_id}/claim",
                    data={"csrf_token": token}).status_code == 302
    assert walk.item("Task_OnsiteInspection:drainage").claimed_by_name == "rev_swj"
    other = signed_in(app, "rev_swj2")
    other.post(f"/cases/{walk.case_id}/tasks/{item.task_id}/claim", data={"csrf_token": token_of(
        other.get("/queue").get_data(as_text=True))})
    assert walk.item("Task_OnsiteInspection:drainage").claimed_by_name == "rev_swj"  # the first claim holds
    swj.post(f"/cases/{walk.case_id}/tasks/{item.task_id}/release", data={"csrf_token": token})
    assert walk.item("Task_OnsiteInspection:drainage").claimed_by_name == ""


def test_hand_a_task_to_a_colleague(app, runtime, intake):
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    item = walk.item("Task_Env")
    hb = signed_in(app, "rev_hb")
    page = hb.get(f"/cases/{walk.case_id}/tasks/{item.task_id}").get_data(as_text=True)
    assert "转交" in page
    hb.post(f"/cases/{walk.case_id}/tasks/{item.task_id}/assign", data={"csrf_token": token_of(page), "to": "rev_hb2"})
    assert walk.item("Task_Env").claimed_by_name == "rev_hb2"
    # Now rev_hb2 holds it: rev_hb can no longer hand it on, nor to another department.
    hb.post(f"/cases/{walk.case_id}/tasks/{item.task_id}/assign", data={"csrf_token": token_of(page), "to": "rev_hb"})
    assert walk.item("Task_Env").claimed_by_name == "rev_hb2"
    from engine.runtime.errors import Forbidden
    with pytest.raises(Forbidden):
        runtime.assign(walk.case_id, item.task_id, "rev_hb2", "rev_sj")


def test_receipt_as_pdf(app, runtime, intake, tmp_path):
    try:
        import weasyprint  # noqa: F401
    except OSError as exc:  # the Pango libraries are missing on this machine
        pytest.skip(f"WeasyPrint cannot load Pango ({exc}); apt-get install libpango-1.0-0 libpangoft2-1.0-0")
    walk = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    clerk = signed_in(app, "clerk")
    response = clerk.get(f"/window/cases/{walk.case_id}/receipt.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF") and len(response.data) > 2000
    import shutil
    import subprocess

    if shutil.which("pdftotext"):
        pdf = tmp_path / "receipt.pdf"
        pdf.write_bytes(response.data)
        text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True).stdout
        assert walk.case().reference in text and "受理回执" in text
    assert signed_in(app, "rev_sj").get(f"/window/cases/{walk.case_id}/receipt.pdf").status_code == 403


def test_window_reuses_an_applicants_earlier_case(app, runtime, intake):
    key = "91420103MA4KXXXX0Q"
    first = runtime.start_case("restaurant", {**intake, "has_company": True, "uscc": key}, "clerk",
                               materials={"id_card": "received", "property_certificate": "received"})
    clerk = signed_in(app, "clerk")
    page = clerk.get(f"/window/start/restaurant?applicant={key.lower()}").get_data(as_text=True)
    assert first.reference in page
    assert intake["proposed_name"] in page and intake["legal_rep_id_no"] in page  # prefilled
    id_card = page.split('name="material.id_card"')[1].split("</select>")[0]
    assert 'value="received" selected' in id_card
    # Not reusable, so asked again even though the earlier case had it:
    letter = page.split('name="material.authorisation_letter"')[1].split("</select>")[0]
    assert 'value="received" selected' not in letter
    assert "没有找到该申请人的办件" in clerk.get("/window/start/restaurant?applicant=NOBODY").get_data(as_text=True)


def test_key_projects_come_first_and_can_be_filtered(app, runtime, intake):
    ordinary = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q")
    key = start(runtime, intake, has_company=True, uscc="91420103MA4KXXXX0Q", key_project=True,
                proposed_name="武汉江汉重点项目餐饮有限公司")
    xf = signed_in(app, "rev_xf")
    page = xf.get("/queue").get_data(as_text=True)
    assert page.index(key.case().reference) < page.index(ordinary.case().reference)
    assert "绿色通道" in page
    only = xf.get("/queue?key=1").get_data(as_text=True)
    assert key.case().reference in only and ordinary.case().reference not in only
