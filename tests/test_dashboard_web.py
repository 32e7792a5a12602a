"""The dashboard's pages: only the supervisor and the administrator get in;
the figures, the formula and the heat map show; the CSV files are proper
UTF-8 with a BOM and a header; the weights page refuses weights that do
not sum to 100 and keeps what it had."""
from __future__ import annotations

import csv
import io
from datetime import datetime, timedelta, timezone

import pytest
from sqlalchemy import select

from models import ProcessVersion
from tests.test_dashboard import known  # noqa: F401  (fixture)
from tests.web_helpers import signed_in, token_of

ROUTES = ["/dashboard?quarter=2026Q3", "/dashboard/weights", "/dashboard/departments.csv?quarter=2026Q3",
          "/dashboard/scenarios.csv", "/dashboard/overdue.csv", "/dashboard/ratings.csv", "/dashboard/ranking.csv"]


def _version_id(db) -> int:
    with db.read() as session:
        return session.scalar(select(ProcessVersion.id).where(ProcessVersion.scenario_key == "restaurant"))


def _at_q4(app):
    app.extensions["onewindow.runtime"].clock = lambda: datetime(2026, 11, 20, 3, tzinfo=timezone.utc)


@pytest.mark.parametrize("username", ["applicant", "company", "clerk", "rev_sj", "designer"])
def test_others_are_refused(app, db, username):
    client = signed_in(app, username)
    version = _version_id(db)
    for url in ROUTES + [f"/dashboard/heatmap/{version}", f"/dashboard/heatmap/{version}.json",
                         f"/dashboard/heatmap/{version}.csv"]:
        assert client.get(url).status_code == 403, url
    assert client.post("/dashboard/weights", data={"on_time": 100, "speed": 0, "ratings": 0}).status_code in (400, 403)


def test_anonymous_is_sent_to_sign_in(app, db):
    client = app.test_client()
    for url in ROUTES + [f"/dashboard/heatmap/{_version_id(db)}.json"]:
        response = client.get(url)
        assert response.status_code == 302 and "/auth/login" in response.headers["Location"], url


def test_supervisor_sees_figures_ranking_and_formula(app, known):
    _at_q4(app)
    for username in ("supervisor", "admin"):
        html = signed_in(app, username).get("/dashboard?quarter=2026Q3").get_data(as_text=True)
        assert "督查看板" in html and "2026Q3" in html
        assert "40% × 按时办结得分 + 30% × 办理速度得分 + 30% × 群众评价得分" in html
        assert "暂无评价" in html
        assert '<tr data-department="SJ"><td>区市场监管局 <small>SJ</small></td><td>5</td>' in html
        assert "80.0% <small>4/5</small>" in html and ">7.6<" in html  # SJ on time, p90 hours
        ranking = html.split('class="list compact ranking"')[1].split("</table>")[0]
        assert ranking.index("区消防救援大队") < ranking.index("区市场监管局")
        assert "89.3" in ranking and "69.3" in ranking
        assert 'id="chart-ranking"' in html and "vendor/chart.js/chart.umd.min.js" in html
        assert "/dashboard/heatmap/" in html


def test_bad_quarter_is_said_and_the_current_one_shown(app, known):
    client = signed_in(app, "supervisor")
    response = client.get("/dashboard?quarter=2026Q9", follow_redirects=True)
    assert response.status_code == 200 and "季度格式应为 2026Q1" in response.get_data(as_text=True)
    assert client.get("/dashboard/ranking.csv?quarter=nonsense").status_code == 400


def test_csv_exports(app, known):
    client = signed_in(app, "supervisor")
    response = client.get("/dashboard/departments.csv?quarter=2026Q3")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert 'filename="onewindow-departments-2026Q3.csv"' in response.headers["Content-Disposition"]
    assert response.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(response.data.decode("utf-8-sig"))))
    assert rows[0][:6] == ["代码", "部门", "办结事项数", "有期限", "按时", "按时办结率（%）"]
    sj = next(r for r in rows if r[0] == "SJ")
    assert sj[1:6] == ["区市场监管局", "5", "5", "4", "80.0"] and sj[7:9] == ["3.0", "7.6"]
    assert len(rows) == 1 + 24  # every department, data or not
    ranking = list(csv.reader(io.StringIO(client.get("/dashboard/ranking.csv?quarter=2026Q3").data.decode("utf-8-sig"))))
    assert ranking[1][:3] == ["1", "XF", "区消防救援大队"] and ranking[1][-1] == "89.29"
    assert ranking[2][:2] == ["2", "SJ"] and ranking[2][-1] == "69.29"
    scenarios = list(csv.reader(io.StringIO(client.get("/dashboard/scenarios.csv?quarter=2026Q3").data.decode("utf-8-sig"))))
    assert scenarios[1][:5] == ["restaurant", "开办餐馆", "3", "3", "2"]
    assert client.get("/dashboard/ratings.csv").data.decode("utf-8-sig").startswith("代码,部门,评价数")


def test_weights_page_validates_and_saves(app, known):
    _at_q4(app)
    client = signed_in(app, "supervisor")
    page = client.get("/dashboard/weights").get_data(as_text=True)
    assert 'value="40"' in page and "之和必须为 100" in page
    bad = client.post("/dashboard/weights", data={"csrf_token": token_of(page), "on_time": 50, "speed": 30,
                                                  "ratings": 30})
    assert bad.status_code == 422 and "三项权重之和应为 100，现为 110" in bad.get_data(as_text=True)
    negative = client.post("/dashboard/weights", data={"csrf_token": token_of(page), "on_time": -10, "speed": 80,
                                                       "ratings": 30})
    assert negative.status_code == 422
    assert "40% × 按时办结得分" in client.get("/dashboard?quarter=2026Q3").get_data(as_text=True)
    good = client.post("/dashboard/weights", data={"csrf_token": token_of(page), "on_time": 100, "speed": 0,
                                                   "ratings": 0})
    assert good.status_code == 302
    html = client.get("/dashboard?quarter=2026Q3").get_data(as_text=True)
    assert "100% × 按时办结得分 + 0% × 办理速度得分 + 0% × 群众评价得分" in html


def test_heat_map_page_json_and_csv(app, known):
    client = signed_in(app, "supervisor")
    version = _version_id(known)
    html = client.get(f"/dashboard/heatmap/{version}").get_data(as_text=True)
    assert "流程热力图" in html and "heatmap.js" in html and "bpmnview.js" in html
    assert "Task_OnsiteInspection" in html
    data = client.get(f"/dashboard/heatmap/{version}.json").get_json()
    keys = [d["key"] for d in data["diagrams"]]
    assert keys[0] == "restaurant" and "onsite_inspection@restaurant/Call_FireInspection" in keys
    fire = next(d for d in data["diagrams"] if d["key"].endswith("Call_FireInspection"))
    assert fire["tasks"]["Task_OnsiteInspection"]["median_seconds"] == 4 * 3600
    rows = list(csv.reader(io.StringIO(client.get(f"/dashboard/heatmap/{version}.csv").data.decode("utf-8-sig"))))
    assert rows[0][:3] == ["流程", "环节", "名称"] and {r[1] for r in rows[1:]} == {"Task_FoodReview",
                                                                                 "Task_OnsiteInspection"}
    assert client.get("/dashboard/heatmap/999999").status_code == 404


def test_overdue_work_is_listed_with_links(app, runtime, intake):
    """An open work item past its due time shows, linked to its case."""
    from tests.walk import start

    walk = start(runtime, intake)
    item = walk.open_items()[0]
    app.extensions["onewindow.runtime"].clock = lambda: item.due_at + timedelta(days=1)
    html = signed_in(app, "supervisor").get("/dashboard").get_data(as_text=True)
    overdue = html.split('id="overdue"')[1].split("</section>")[0]
    assert f'href="/cases/{walk.case_id}"' in overdue and walk.last.reference in overdue
    assert "共 1 件" in overdue
