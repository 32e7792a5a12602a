"""江汉政企通 pages: the company files and follows its requests, the hall
dispatches, the department signs, answers and transfers, the supervisor
oversees and publishes notices. Every route refuses outsiders: anonymous
visitors are sent to sign in, the wrong role gets a 403, another company
or another department a 404 that tells nothing."""
from __future__ import annotations

import pytest
from sqlalchemy import select
from werkzeug.security import generate_password_hash

from engine.demo_data import DEMO_PASSWORD
from engine.enterprise import requests as er
from engine.enterprise.notices import publish_notice
from models import EnterpriseRequest, User
from tests.web_helpers import signed_in, token_of


def uid(db, username) -> int:
    with db.read() as session:
        return session.scalar(select(User.id).where(User.username == username))


def add_company(db, username="rival", industry="retail"):
    with db.write() as session:
        session.add(User(username=username, display_name="王五（对手公司 经办人）", role="applicant",
                         id_number="", uscc="91420103RIVAL0001X", company_name="武汉对手零售有限公司",
                         industry=industry, password_hash=generate_password_hash(DEMO_PASSWORD)))


def file(db, department="SJ") -> int:
    with db.write() as session:
        return er.file_request(session, uid(db, "company"), "policy", "外摆许可政策", "能否在门前外摆？",
                               department_code=department).id


def post(client, url, **data):
    token = token_of(client.get("/inbox").get_data(as_text=True))
    return client.post(url, data={"csrf_token": token, **data})


def load(db, request_id) -> EnterpriseRequest:
    with db.read() as session:
        return session.get(EnterpriseRequest, request_id)


def test_a_request_from_filing_through_dispatch_sign_and_answer_to_rating(app, db):
    company = signed_in(app, "company")
    form = company.get("/my/requests/new").get_data(as_text=True)
    assert "不确定，由政务大厅分派" in form and "区市场监管局" in form
    bad = company.post("/my/requests/new", data={"csrf_token": token_of(form), "kind": "difficulty",
                                                 "subject": "", "description": "招牌审批拖了两周"})
    assert bad.status_code == 422 and "请填写标题" in bad.get_data(as_text=True)
    assert "招牌审批拖了两周" in bad.get_data(as_text=True)  # nothing typed is lost
    filed = company.post("/my/requests/new", data={"csrf_token": token_of(form), "kind": "difficulty",
                                                   "subject": "招牌审批", "description": "招牌审批拖了两周",
                                                   "department": ""})
    assert filed.status_code == 302
    request_id = int(filed.headers["Location"].rsplit("/", 1)[1])
    mine = company.get(f"/my/requests/{request_id}").get_data(as_text=True)
    assert "待大厅分派" in mine
    # Both clocks, shown as every due time is (web/time_view.remaining).
    assert mine.count('<small class="remaining') == 2

    clerk = signed_in(app, "clerk")
    assert "招牌审批" in clerk.get("/enterprise").get_data(as_text=True)
    assert post(clerk, f"/enterprise/{request_id}/dispatch", department="CK").status_code == 302
    assert load(db, request_id).status == "dispatching"  # the window cannot keep it
    assert post(clerk, f"/enterprise/{request_id}/dispatch", department="CG").status_code == 302
    assert load(db, request_id).department_code == "CG"

    officer = signed_in(app, "rev_cg")
    listing = officer.get("/enterprise").get_data(as_text=True)
    assert "招牌审批" in listing and "剩余" in listing and "待签收" in listing
    assert '<small class="remaining' in listing
    assert post(officer, f"/enterprise/{request_id}/sign").status_code == 302
    empty = post(officer, f"/enterprise/{request_id}/answer", answer=" ")
    assert empty.status_code == 302 and load(db, request_id).status == "signed"
    post(officer, f"/enterprise/{request_id}/answer", answer="已加急，本周五前办结。")
    assert load(db, request_id).status == "answered"

    page = company.get(f"/my/requests/{request_id}").get_data(as_text=True)
    assert "已加急，本周五前办结。" in page and "评价答复" in page
    assert post(company, f"/my/requests/{request_id}/rate", stars="4", comment="满意").status_code == 302
    page = company.get(f"/my/requests/{request_id}").get_data(as_text=True)
    assert "★★★★" in page and "评价答复" not in page
    assert load(db, request_id).rating == 4
    post(company, f"/my/requests/{request_id}/rate", stars="1")
    assert load(db, request_id).rating == 4  # once


def test_transfer_and_reopen_through_the_pages(app, db):
    request_id = file(db)
    officer = signed_in(app, "rev_sj")
    post(officer, f"/enterprise/{request_id}/transfer", department="XF", reason="")
    assert load(db, request_id).department_code == "SJ"  # a reason is required
    post(officer, f"/enterprise/{request_id}/transfer", department="XF", reason="属消防事项")
    assert load(db, request_id).department_code == "XF"
    assert officer.get(f"/enterprise/{request_id}").status_code == 404
    fire = signed_in(app, "rev_xf")
    assert "由 区市场监管局 转办至 区消防救援大队" in fire.get(f"/enterprise/{request_id}").get_data(as_text=True)
    post(fire, f"/enterprise/{request_id}/sign")
    post(fire, f"/enterprise/{request_id}/answer", answer="请按规范设置。")
    company = signed_in(app, "company")
    post(company, f"/my/requests/{request_id}/reopen", reason="没有说明规范是什么")
    req = load(db, request_id)
    assert (req.status, req.first_answer) == ("signed", "请按规范设置。")
    assert "没有说明规范是什么" in fire.get(f"/enterprise/{request_id}").get_data(as_text=True)


def test_a_person_is_told_that_requests_are_for_companies(app, db):
    person = signed_in(app, "applicant")
    page = person.get("/my/requests")
    assert page.status_code == 200 and "仅限企业提交" in page.get_data(as_text=True)
    refused = person.get("/my/requests/new")
    assert refused.status_code == 403 and "仅限企业提交" in refused.get_data(as_text=True)
    assert post(person, "/my/requests/new", kind="policy", subject="x", description="y").status_code == 403


def test_supervisor_sees_all_and_breaches_and_publishes_notices(app, db):
    request_id = file(db)
    supervisor = signed_in(app, "supervisor")
    assert "外摆许可政策" in supervisor.get("/enterprise").get_data(as_text=True)
    assert "外摆许可政策" in supervisor.get(f"/enterprise/{request_id}").get_data(as_text=True)
    with db.write() as session:  # make it late
        from datetime import timedelta

        req = session.get(EnterpriseRequest, request_id)
        req.sign_due_at = req.filed_at - timedelta(minutes=1)
    assert "外摆许可政策" in supervisor.get("/enterprise?show=overdue").get_data(as_text=True)
    assert supervisor.get("/enterprise/notices").status_code == 200
    bad = post(supervisor, "/enterprise/notices", title="餐饮补贴", body="正文", audience="industries")
    assert bad.status_code == 422 and "请选择至少一个行业" in bad.get_data(as_text=True)
    done = post(supervisor, "/enterprise/notices", title="餐饮补贴", body="正文", audience="industries",
                industries="catering")
    assert done.status_code == 302
    company = signed_in(app, "company")
    assert "餐饮补贴" in company.get("/my/requests").get_data(as_text=True)
    assert "政策通知：餐饮补贴" in company.get("/inbox").get_data(as_text=True)


# ------------------------------------------------------------ access

STAFF_GETS = ["/enterprise", "/enterprise/{id}", "/enterprise/notices"]
STAFF_POSTS = ["/enterprise/{id}/sign", "/enterprise/{id}/answer", "/enterprise/{id}/transfer",
               "/enterprise/{id}/dispatch", "/enterprise/notices"]
MY_GETS = ["/my/requests", "/my/requests/new", "/my/requests/{id}", "/my/notices", "/my/notices/{notice}"]
MY_POSTS = ["/my/requests/new", "/my/requests/{id}/rate", "/my/requests/{id}/reopen"]


@pytest.fixture
def records(db):
    request_id = file(db)
    with db.write() as session:
        notice = publish_notice(session, uid(db, "supervisor"), "餐饮补贴", "正文", "industries", ["catering"]).id
    return {"id": request_id, "notice": notice}


def test_anonymous_visitors_are_sent_to_sign_in(app, records):
    client = app.test_client()
    for url in STAFF_GETS + MY_GETS:
        response = client.get(url.format(**records))
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def test_applicants_cannot_open_staff_pages_and_staff_cannot_open_applicant_pages(app, records):
    company = signed_in(app, "company")
    for url in STAFF_GETS:
        assert company.get(url.format(**records)).status_code == 403, url
    for url in STAFF_POSTS:
        assert post(company, url.format(**records), department="XF", reason="x", answer="x").status_code == 403, url
    for username in ("rev_sj", "supervisor"):
        staff = signed_in(app, username)
        for url in MY_GETS:
            assert staff.get(url.format(**records)).status_code == 403, (username, url)
        for url in MY_POSTS:
            assert post(staff, url.format(**records), stars="5", reason="x").status_code == 403, (username, url)


def test_another_company_sees_nothing_of_a_request_and_another_industrys_notice(app, db, records):
    add_company(db)
    rival = signed_in(app, "rival")
    assert rival.get("/my/requests/{id}".format(**records)).status_code == 404
    for url in ("/my/requests/{id}/rate", "/my/requests/{id}/reopen"):
        assert post(rival, url.format(**records), stars="1", reason="x").status_code == 404, url
    assert "外摆许可政策" not in rival.get("/my/requests").get_data(as_text=True)
    assert rival.get("/my/notices/{notice}".format(**records)).status_code == 404
    person = signed_in(app, "applicant")
    assert person.get("/my/notices/{notice}".format(**records)).status_code == 404
    assert person.get("/my/requests/{id}".format(**records)).status_code == 404
    assert signed_in(app, "company").get("/my/notices/{notice}".format(**records)).status_code == 200


def test_another_department_sees_nothing_and_cannot_act(app, db, records):
    other = signed_in(app, "rev_xf")
    assert other.get("/enterprise/{id}".format(**records)).status_code == 404
    assert "外摆许可政策" not in other.get("/enterprise").get_data(as_text=True)
    for url in ("/enterprise/{id}/sign", "/enterprise/{id}/answer", "/enterprise/{id}/transfer"):
        assert post(other, url.format(**records), answer="x", department="WJ", reason="x").status_code == 404, url
    assert post(other, "/enterprise/{id}/dispatch".format(**records), department="XF").status_code == 403
    # The window dispatches only what waits for dispatch; SJ's request is not its to see.
    clerk = signed_in(app, "clerk")
    assert clerk.get("/enterprise/{id}".format(**records)).status_code == 404
    assert post(clerk, "/enterprise/{id}/dispatch".format(**records), department="XF").status_code == 404
    # Staff read, never publish, notices; the supervisor reads but does not sign.
    assert other.get("/enterprise/notices").status_code == 403
    assert post(other, "/enterprise/notices", title="x", body="y", audience="everyone").status_code == 403
    supervisor = signed_in(app, "supervisor")
    assert post(supervisor, "/enterprise/{id}/sign".format(**records)).status_code == 403
    assert load(db, records["id"]).status == "filed"


def test_a_post_without_the_csrf_token_is_refused(app, records):
    officer = signed_in(app, "rev_sj")
    assert officer.post("/enterprise/{id}/sign".format(**records)).status_code == 400
