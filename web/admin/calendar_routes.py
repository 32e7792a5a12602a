"""/admin/calendar: a year at a glance (working days, holidays, adjusted
working weekends, overrides, days without data), setting a day or a range,
and entering a year the package does not know yet."""
from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import DateField, IntegerField, RadioField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from engine.calendar_admin import clear_day, enter_year, month_grid, overrides_in, set_range, withdraw_year
from engine.workcalendar import year_has_data
from models import CalendarYear

from .. import get_db
from ..access import roles_required
from . import bp


class DayForm(FlaskForm):
    first = DateField(_l("日期（起）"), validators=[DataRequired()])
    last = DateField(_l("日期（止，选填）"), validators=[Optional()])
    working = RadioField(_l("设为"), choices=[("closed", _l("不办公（节假日或本地停办）")), ("working", _l("工作日"))],
                         default="closed", validators=[DataRequired()])
    note = StringField(_l("说明"), validators=[Length(max=200)])
    submit = SubmitField(_l("保存"))


class YearForm(FlaskForm):
    year = IntegerField(_l("年份"), validators=[DataRequired(), NumberRange(2000, 2100)])
    source = StringField(_l("依据（国务院办公厅通知文号及日期）"), validators=[DataRequired(), Length(max=300)])
    submit = SubmitField(_l("登记全年安排"))


def _year() -> int:
    year = request.args.get("year", type=int) or date.today().year
    return min(max(year, 2000), 2100)


@bp.get("/calendar")
@roles_required("admin")
def calendar():
    year = _year()
    # Opened for a year the calendar lacks (the staff banner's link), offer that year itself.
    return _page(year, DayForm(), YearForm(year=year if not year_has_data(year) else year + 1))


def _page(year: int, day_form: DayForm, year_form: YearForm, status: int = 200):
    with get_db().read() as session:
        overrides = overrides_in(session, year)
        entered = session.scalars(select(CalendarYear).order_by(CalendarYear.year)).all()
    months = [(m, month_grid(year, m)) for m in range(1, 13)]
    return render_template("admin/calendar.html", year=year, months=months, overrides=overrides,
                           entered=entered, day_form=day_form, year_form=year_form), status


@bp.post("/calendar/days")
@roles_required("admin")
def set_days():
    year = _year()
    form = DayForm()
    if not form.validate_on_submit():
        return _page(year, form, YearForm(year=year + 1), 422)
    try:
        with get_db().write() as session:
            count = set_range(session, form.first.data, form.last.data or form.first.data,
                              form.working.data == "working", form.note.data or "", current_user.id)
    except ValueError as exc:
        form.last.errors.append(str(exc))
        return _page(year, form, YearForm(year=year + 1), 422)
    flash(_("已设置 %(count)s 天", count=count), "info")
    return redirect(url_for("admin.calendar", year=form.first.data.year))


@bp.post("/calendar/days/<day>/delete")
@roles_required("admin")
def delete_day(day: str):
    try:
        which = date.fromisoformat(day)
    except ValueError:
        return redirect(url_for("admin.calendar"))
    with get_db().write() as session:
        clear_day(session, which)
    flash(_("已恢复 %(day)s 的法定安排", day=day), "info")
    return redirect(url_for("admin.calendar", year=which.year))


@bp.post("/calendar/years")
@roles_required("admin")
def enter():
    year = _year()
    form = YearForm()
    if not form.validate_on_submit():
        return _page(year, DayForm(), form, 422)
    with get_db().write() as session:
        enter_year(session, form.year.data, form.source.data, current_user.id)
    flash(_("%(year)s 年已登记；未单独设置的日期按周一至周五工作", year=form.year.data), "info")
    return redirect(url_for("admin.calendar", year=form.year.data))


@bp.post("/calendar/years/<int:year>/delete")
@roles_required("admin")
def withdraw(year: int):
    with get_db().write() as session:
        withdraw_year(session, year)
    return redirect(url_for("admin.calendar", year=year))
