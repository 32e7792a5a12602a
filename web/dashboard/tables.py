"""The dashboard's tables as (header, rows) for CSV export: the same
columns the page shows, numbers as numbers (hours, percent)."""
from __future__ import annotations

from flask_babel import gettext as _

from engine.dashboard.overview import Overview
from engine.workcalendar import BEIJING

from .formatting import hours_number, rounded


def _rate(rate):
    return None if rate is None else round(100 * rate, 2)


def _figure_row(f, with_share: bool):
    row = [f.key, f.name, f.count, f.with_due, f.on_time, _rate(f.on_time_rate), hours_number(f.mean_seconds),
           hours_number(f.median_seconds), hours_number(f.p90_seconds)]
    return row + [_rate(f.used_share)] if with_share else row


def _figure_header(first: str, count: str, with_share: bool):
    header = [_("代码"), first, count, _("有期限"), _("按时"), _("按时办结率（%）"), _("平均用时（工时）"),
              _("中位用时（工时）"), _("90分位用时（工时）")]
    return header + [_("平均占用法定时限（%）")] if with_share else header


def departments(o: Overview):
    return (_figure_header(_("部门"), _("办结事项数"), True) + [_("当前超期")],
            [_figure_row(f, True) + [o.overdue_counts.get(f.key, 0)] for f in o.departments])


def scenarios(o: Overview):
    return _figure_header(_("事项"), _("办结件数"), False), [_figure_row(f, False) for f in o.scenarios]


def overdue(o: Overview):
    return ([_("办件编号"), _("事项"), _("部门"), _("环节"), _("办理人"), _("应办结时间"), _("已超期（工时）")],
            [[i.reference, i.scenario_key, i.department_code, i.title, i.claimed_by,
              i.due_at.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M"), hours_number(i.overdue_seconds)]
             for i in o.overdue])


def ratings(o: Overview):
    return ([_("代码"), _("部门"), _("评价数"), _("平均星级"), _("差评数")],
            [[f.key, f.name, r.count, rounded(r.average), r.bad] for f in o.departments
             if (r := o.ratings.get(f.key)) is not None])


def ranking(o: Overview):
    return ([_("名次"), _("代码"), _("部门"), _("按时办结得分"), _("办理速度得分"), _("群众评价得分"), _("综合得分")],
            [[s.rank, s.department_code, s.name, rounded(s.parts["on_time"]), rounded(s.parts["speed"]),
              rounded(s.parts["ratings"]), rounded(s.score)] for s in o.standings])


TABLES = {"departments": departments, "scenarios": scenarios, "overdue": overdue, "ratings": ratings,
          "ranking": ranking}
