"""`onewindow calendar`: the legal calendar from the shell, for
administrators and scripts (issue 6): look a day up, add working days or
hours, set a day, enter a year. A date without calendar data exits non-zero
and says so."""
from __future__ import annotations

import sys
from datetime import date, datetime, time

import click

from engine.workcalendar import (BEIJING, CalendarDataMissing, add_working_days, add_working_hours, day_info,
                                 refresh_overrides)

from .cli import _app, _emit, json_option


def _db():
    from web import get_db

    from sqlalchemy.exc import OperationalError, ProgrammingError

    db = get_db(_app())
    try:
        with db.transaction() as conn:
            refresh_overrides(conn)
    except (OperationalError, ProgrammingError) as exc:
        raise click.ClickException(f"the database at {db.url} is not ready (run `onewindow init`): "
                                   f"{exc.orig.__class__.__name__}") from None
    return db


def _date(value: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date such as 2026-10-01") from None


def _moment(value: str) -> datetime:
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date or an ISO date-time such as 2026-09-30T17:00") from None
    if len(value) == 10:  # a bare date: from the start of that day
        moment = datetime.combine(moment.date(), time(0, 0))
    return moment if moment.tzinfo else moment.replace(tzinfo=BEIJING)


def _missing(as_json: bool, exc: CalendarDataMissing):
    _emit(as_json, {"error": {"code": "calendar_data_missing", "message": str(exc)}})
    if not as_json:
        click.echo(f"error: {exc}", err=True)
    sys.exit(2)


@click.group()
def calendar():
    """The legal working-day calendar (statutory data plus the administrator's overrides)."""


@calendar.command("day")
@click.argument("day")
@json_option
def calendar_day(day, as_json):
    """Is DAY a working day, and why."""
    _db()
    try:
        info = day_info(_date(day))
    except CalendarDataMissing as exc:
        _missing(as_json, exc)
    _emit(as_json, info, f"{info['date']}: {'working day' if info['working_day'] else 'not a working day'}"
          f" ({info['source']}{': ' + info['note'] if info['note'] else ''})")


@calendar.command("add")
@click.argument("start")
@click.option("--working-days", type=click.FloatRange(min=0), default=None)
@click.option("--working-hours", type=click.FloatRange(min=0), default=None)
@json_option
def calendar_add(start, working_days, working_hours, as_json):
    """The end of N working days (start day not counted) or N working hours after START."""
    if (working_days is None) == (working_hours is None):
        raise click.UsageError("give exactly one of --working-days and --working-hours")
    _db()
    begin = _moment(start)
    try:
        end = (add_working_days(begin, working_days) if working_days is not None
               else add_working_hours(begin, working_hours))
    except CalendarDataMissing as exc:
        _missing(as_json, exc)
    end = end.astimezone(BEIJING)
    payload = {"start": begin.isoformat(), "end": end.isoformat(), "end_date": end.date().isoformat(),
               **({"working_days": working_days} if working_days is not None else {"working_hours": working_hours})}
    _emit(as_json, payload, f"{payload['start']} + {working_days if working_days is not None else working_hours} "
          f"{'working days' if working_days is not None else 'working hours'} = {payload['end']}")


@calendar.command("set")
@click.argument("first")
@click.argument("last", required=False)
@click.option("--working/--closed", required=True, help="A working day, or closed (a holiday or local closure).")
@click.option("--note", default="", help="Why, e.g. 武汉封城 2020-01-23 至 04-08.")
@json_option
def calendar_set(first, last, working, note, as_json):
    """Override FIRST (to LAST) as a working or a closed day."""
    from engine.calendar_admin import set_range

    db = _db()
    with db.write() as session:
        count = set_range(session, _date(first), _date(last or first), working, note)
    _emit(as_json, {"days": count, "working": working}, f"{count} day(s) set {'working' if working else 'closed'}")


@calendar.command("unset")
@click.argument("day")
@json_option
def calendar_unset(day, as_json):
    """Remove the override of DAY (the statutory data applies again)."""
    from engine.calendar_admin import clear_day

    db = _db()
    with db.write() as session:
        removed = clear_day(session, _date(day))
    _emit(as_json, {"removed": removed}, "removed" if removed else "no override on that day")


@calendar.command("enter-year")
@click.argument("year", type=int)
@click.option("--source", required=True, help="The notice the schedule comes from (number and date).")
@json_option
def calendar_enter_year(year, source, as_json):
    """Declare YEAR entered: set its holidays and adjusted working weekends
    with `calendar set` first; its other days follow the weekday rule."""
    from engine.calendar_admin import enter_year

    db = _db()
    try:
        with db.write() as session:
            enter_year(session, year, source)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    _emit(as_json, {"year": year, "source": source}, f"{year} entered ({source})")
