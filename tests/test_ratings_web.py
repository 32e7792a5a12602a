"""The 好差评 and 绿色通道 pages: the applicant rates their own delivered case
from /my, once; the department works its rectification; the supervisor
decides the appeal and reads the summary; the key-project list. Every route
refuses outsiders: another applicant or department gets a 404, a wrong
role a 403, anonymous users go to the login page."""
from __future__ import annotations

import pytest
from sqlalchemy import select

from engine.green_channel.projects import save_project
from engine.ratings.recording import rate_case
from models import KeyProject, Notification, Rating, RatingAppeal, Rectification
from tests.rating_cases import delivered_case, started_case, user_id
from tests.web_helpers import signed_in, token_of

BAD = {"score": "1", "efficiency": "1", "guide_accuracy": "2", "convenience": "1", "usability": "3",
       "comment": "材料反复退回"}


def post(client, url, data, page_url=None):
    token = token_of(client.get(page_url or url).get_data(as_text=True))
    return client.post(url, data={**data, "csrf_token": token})


def rect_of(db, case_id, dept):
    with db.read() as session:
        return session.scalar(select(Rectification).where(Rectification.case_id == case_id,
                                                          Rectification.department_code == dept))


def test_applicant_rates_from_my_cases_once(app, db):
    case_id = delivered_case(db)
    running = started_case(db).case_id
    company = signed_in(app, "company")
    home = company.get("/my").get_data(as_text=True)
    assert f"/my/cases/{case_id}/rating" in home and f"/my/cases/{running}/rating" not in home
    form = company.get(f"/my/cases/{case_id}/rating").get_data(as_text=True)
    assert "整体满意度" in form and "平台操作性" in form and "非常不满意" in form
    missing = post(company, f"/my/cases/{case_id}/rating", {"score": "3"})
    assert missing.status_code == 422 and "请选择 1 至 5 星" in missing.get_data(as_text=True)
    done = post(company, f"/my/cases/{case_id}/rating", BAD)
    assert done.status_code == 302
    shown = company.get(f"/my/cases/{case_id}/rating").get_data(as_text=True)
    assert "非常不满意" in shown and "整改中" in shown and "材料反复退回" in shown
    again = company.post(f"/my/cases/{case_id}/rating", data={**BAD, "csrf_token": token_of(home)},
                         follow_redirects=True)
    assert "该办件已评价，每个办件只能评价一次" in again.get_data(as_text=True)
    with db.read() as session:
        assert session.scalar(select(Rating.score).where(Rating.case_id == case_id)) == 1
    assert "查看评价" in company.get("/my").get_data(as_text=True)
    # Not delivered yet: no form.
    assert company.get(f"/my/cases/{running}/rating").status_code == 302


def test_outsiders_cannot_rate(app, db):
    case_id = delivered_case(db)
    other = signed_in(app, "applicant")
    assert other.get(f"/my/cases/{case_id}/rating").status_code == 404
    assert other.post(f"/my/cases/{case_id}/rating", data=BAD).status_code in (400, 404)
    assert other.get("/my/cases/999999/rating").status_code == 404
    assert signed_in(app, "rev_sj").get(f"/my/cases/{case_id}/rating").status_code == 403
    assert app.test_client().get(f"/my/cases/{case_id}/rating").status_code == 302  # to the login page
    # On-site ratings: the comprehensive window only.
    assert signed_in(app, "rev_sj").get(f"/cases/{case_id}/rating/onsite").status_code == 403
    assert signed_in(app, "company").get(f"/cases/{case_id}/rating/onsite").status_code == 403


def test_the_window_records_an_on_site_rating(app, db):
    case_id = delivered_case(db)
    clerk = signed_in(app, "clerk")
    page = clerk.get(f"/cases/{case_id}/rating/onsite").get_data(as_text=True)
    assert "服务态度" in page and "平台操作性" not in page
    done = post(clerk, f"/cases/{case_id}/rating/onsite",
                {"score": "5", "service_efficiency": "5", "service_level": "4", "attitude": "5"})
    assert done.status_code == 302
    with db.read() as session:
        assert session.scalar(select(Rating.channel).where(Rating.case_id == case_id)) == "onsite"


def test_department_works_its_rectification_and_only_its_own(app, db):
    case_id = delivered_case(db)
    rate_case(db, case_id, user_id(db, "company"), 1, {k: 1 for k in BAD if k not in ("score", "comment")})
    sj = rect_of(db, case_id, "SJ")
    hb = rect_of(db, case_id, "HB")
    reviewer = signed_in(app, "rev_sj")
    listing = reviewer.get("/rectifications").get_data(as_text=True)
    assert f"/rectifications/{sj.id}" in listing and f"/rectifications/{hb.id}" not in listing
    assert reviewer.get(f"/rectifications/{hb.id}").status_code == 404
    page_url = f"/rectifications/{sj.id}"
    assert post(reviewer, f"/rectifications/{hb.id}/callback", {"note": "x"}, page_url).status_code == 404
    assert post(reviewer, f"{page_url}/callback", {"note": "已电话回访李四"}, page_url).status_code == 302
    page = reviewer.get(page_url).get_data(as_text=True)
    assert "已电话回访李四" in page and "办结整改" in page
    assert post(reviewer, f"{page_url}/outcome", {"outcome": "immediate", "note": "已当场整改"}, page_url).status_code == 302
    assert rect_of(db, case_id, "SJ").status == "closed"
    with db.read() as session:
        titles = session.scalars(select(Notification.title).where(
            Notification.user_id == user_id(db, "company"))).all()
    assert any(t.startswith("您的评价已处理") for t in titles)
    # Applicants and anonymous users never reach the department's pages.
    assert signed_in(app, "company").get("/rectifications").status_code == 403
    assert signed_in(app, "company").get(page_url).status_code == 403
    assert app.test_client().get("/rectifications").status_code == 302
    assert signed_in(app, "supervisor").post(f"{page_url}/callback", data={}).status_code in (400, 403)


def test_appeal_and_supervisor_decision_and_summary(app, db):
    case_id = delivered_case(db)
    rate_case(db, case_id, user_id(db, "company"), 2, {k: 2 for k in BAD if k not in ("score", "comment")})
    hb = rect_of(db, case_id, "HB")
    page_url = f"/rectifications/{hb.id}"
    reviewer = signed_in(app, "rev_hb")
    assert post(reviewer, f"{page_url}/appeal", {"reason": "申请人误将其他事项的意见评在本件"}, page_url).status_code == 302
    with db.read() as session:
        appeal = session.scalar(select(RatingAppeal))
    assert post(reviewer, f"/appeals/{appeal.id}/decide", {"decision": "grant"}, page_url).status_code == 403
    supervisor = signed_in(app, "supervisor")
    listing = supervisor.get("/rectifications").get_data(as_text=True)
    assert "待复核的申诉" in listing and "申请人误将其他事项" in listing
    assert post(supervisor, f"/appeals/{appeal.id}/decide", {"decision": "grant", "note": "属实"},
                page_url).status_code == 302
    with db.read() as session:
        assert session.get(Rating, appeal.rating_id).excluded is True
    assert "申诉成立" in supervisor.get(page_url).get_data(as_text=True)
    summary = supervisor.get("/ratings/summary").get_data(as_text=True)
    assert "各部门评价汇总" in summary
    assert signed_in(app, "rev_hb").get("/ratings/summary").status_code == 403
    assert signed_in(app, "company").get("/ratings/summary").status_code == 403
    assert post(supervisor, "/appeals/999999/decide", {"decision": "grant"}, page_url).status_code == 404


def test_key_project_list_pages(app, db):
    supervisor = signed_in(app, "supervisor")
    assert "新增重点项目" in supervisor.get("/key-projects").get_data(as_text=True)
    bad = post(supervisor, "/key-projects/new", {"name": "x", "level": "district", "applicant_key": "123",
                                                 "steward_id": str(user_id(db, "rev_sj2")), "active": "y"})
    assert bad.status_code == 422 and "统一社会信用代码或身份证号码无效" in bad.get_data(as_text=True)
    ok = post(supervisor, "/key-projects/new", {"name": "江汉路美食街改造", "level": "district",
                                                "applicant_key": "91420103ma4k0jh0wd",
                                                "steward_id": str(user_id(db, "rev_sj2")), "active": "y"})
    assert ok.status_code == 302
    with db.read() as session:
        project = session.scalar(select(KeyProject))
    assert project.applicant_key == "91420103MA4K0JH0WD" and project.active
    edit_url = f"/key-projects/{project.id}/edit"
    assert "江汉路美食街改造" in supervisor.get(edit_url).get_data(as_text=True)
    assert post(supervisor, edit_url, {"name": "江汉路美食街改造二期", "level": "city",
                                       "applicant_key": project.applicant_key,
                                       "steward_id": str(user_id(db, "rev_sj")), "active": "y"}).status_code == 302
    assert post(supervisor, f"/key-projects/{project.id}/deactivate", {}, "/key-projects").status_code == 302
    with db.read() as session:
        project = session.get(KeyProject, project.id)
    assert (project.name, project.level, project.active) == ("江汉路美食街改造二期", "city", False)
    assert supervisor.get("/key-projects/999999/edit").status_code == 404
    for who in ("rev_sj", "clerk", "company"):
        client = signed_in(app, who)
        assert client.get("/key-projects").status_code == 403
        assert client.get("/key-projects/new").status_code == 403
        assert client.get(edit_url).status_code == 403
        assert client.post(f"/key-projects/{project.id}/deactivate").status_code in (400, 403)
    assert signed_in(app, "company").get("/key-projects/my-cases").status_code == 403
    assert app.test_client().get("/key-projects").status_code == 302


def test_the_steward_sees_the_projects_cases_and_nobody_elses(app, db):
    save_project(db, user_id(db, "supervisor"), name="重点项目", level="city", applicant_key="91420103MA4K0JH0WD",
                 steward_id=user_id(db, "rev_xf2"))
    case = started_case(db).case()
    steward = signed_in(app, "rev_xf2")
    assert case.reference in steward.get("/key-projects/my-cases").get_data(as_text=True)
    assert steward.get(f"/cases/{case.id}").status_code == 200
    colleague = signed_in(app, "rev_ga2")
    assert case.reference not in colleague.get("/key-projects/my-cases").get_data(as_text=True)
    assert colleague.get(f"/cases/{case.id}").status_code == 404
