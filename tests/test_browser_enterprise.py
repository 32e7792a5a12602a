"""江汉政企通 in a real browser: the company files a request; the
department sees it with its 1-hour sign clock, signs and answers; the
company reads the answer and rates it. A second request left unsigned is
escalated by the sweep (run with `now` past its deadline) and shows in the
supervisor's inbox and list. Screenshots land in test-artifacts/."""
from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from engine.enterprise import requests as er
from engine.jobs import sweep
from models import EnterpriseRequest, User
from tests.browser import shot
from tests.test_browser import hall, page_as  # noqa: F401  (the live-server fixture)
from web import get_db, local_time

pytestmark = pytest.mark.browser


def test_a_company_request_with_its_clocks_and_an_escalation(hall):  # noqa: F811
    base, browser, app = hall
    db = get_db(app)

    company = page_as(browser, base, "company")
    company.goto(base + "/my")
    company.click("text=江汉政企通")
    company.click("text=提交诉求")
    company.check("input[name=kind][value=difficulty]")
    company.fill("#subject", "门头招牌设置许可迟迟未批")
    company.fill("#description", "2026 年 11 月初提交的招牌设置许可至今未有结果，影响开业。")
    company.select_option("#department", "SJ")
    shot(company, "enterprise-company-new-request")
    company.click("input[type=submit][name=submit]")
    company.wait_for_selector("h1:has-text('门头招牌设置许可迟迟未批')")
    assert "诉求已提交" in company.content() and "待签收" in company.content()
    request_id = int(company.url.rstrip("/").rsplit("/", 1)[1])
    with db.read() as session:
        req = session.get(EnterpriseRequest, request_id)
    shot(company, "enterprise-company-request-filed")

    officer = page_as(browser, base, "rev_sj")
    officer.goto(base + "/enterprise")
    row = officer.locator("table.enterprise-requests tr", has_text="门头招牌设置许可迟迟未批")
    assert "待签收" in row.inner_text() and local_time(req.sign_due_at) in row.inner_text()
    # The remaining time as every page shows it (web/time_view.remaining).
    assert row.locator(".remaining").count() == 1
    assert re.search(r"剩余 (1|0\.\d) 个工作小时", row.inner_text())
    shot(officer, "enterprise-department-list")
    row.locator("a").click()
    officer.click("form.sign button")
    officer.wait_for_selector("form.answer-form")
    officer.fill("form.answer-form textarea", "已核查，许可于本周五前办结，届时短信通知。")
    shot(officer, "enterprise-department-request")
    officer.click("form.answer-form button")
    officer.wait_for_selector(".request-text.answer")
    assert "已答复" in officer.content()

    company.reload()
    assert "已核查，许可于本周五前办结" in company.content()
    company.check("input[name=stars][value='5']")
    company.fill("#comment", "答复及时")
    shot(company, "enterprise-company-answer")
    company.click("form.rate-form input[type=submit]")
    company.wait_for_selector("p.rating")
    assert "感谢您的评价" in company.content() and "非常满意" in company.inner_text("p.rating")
    with db.read() as session:
        assert session.get(EnterpriseRequest, request_id).rating == 5

    # A second request nobody signs: the sweep, past its hour, escalates it once.
    with db.write() as session:
        company_id = session.scalar(select(User.id).where(User.username == "company"))
        late = er.file_request(session, company_id, "complaint", "窗口推诿", "窗口让我们跑了三次。", "XF")
        late_id, deadline = late.id, late.sign_due_at
    after = deadline + timedelta(minutes=1)
    assert sweep(db, now=after, only=("enterprise_escalation",)) == {"enterprise_escalation": 1}
    assert sweep(db, now=after + timedelta(minutes=5), only=("enterprise_escalation",)) == {"enterprise_escalation": 0}

    supervisor = page_as(browser, base, "supervisor")
    supervisor.goto(base + "/inbox")
    assert supervisor.locator(".inbox li", has_text="政企通诉求超时未签收").count() == 1
    shot(supervisor, "enterprise-supervisor-inbox")
    supervisor.goto(base + "/enterprise")
    row = supervisor.locator("table.enterprise-requests tr", has_text="窗口推诿")
    assert "已督办 1 次" in row.inner_text()
    shot(supervisor, "enterprise-supervisor-list")
    row.locator("a").click()
    assert "超时未签收，已督办" in supervisor.content()
    assert f"/enterprise/{late_id}" in supervisor.url

    # The supervisor publishes a notice; the catering company reads it.
    supervisor.goto(base + "/enterprise/notices")
    supervisor.fill("#title", "餐饮企业消防安全检查通知")
    supervisor.fill("#body", "请各餐饮企业于月底前完成燃气报警器自查。")
    supervisor.check("input[name=industries][value=catering]")
    supervisor.click("input[type=submit][name=submit]")
    supervisor.wait_for_selector("text=已发布")
    shot(supervisor, "enterprise-supervisor-notices")
    company.goto(base + "/my/requests")
    assert "餐饮企业消防安全检查通知" in company.content()
    shot(company, "enterprise-company-requests")
    company.goto(base + "/lang/en?next=/my/requests")
    shot(company, "enterprise-company-requests-en")
