"""Staff are told before a promise can reach a year the legal calendar does
not know (DESIGN.md decision 7): a banner on every staff page, with the
administrator's link to enter that year, gone once it is entered."""
from datetime import date, datetime, timezone

import pytest

from engine import workcalendar as wc
from engine.calendar_admin import enter_year
from tests.web_helpers import signed_in

LAST_PUBLISHED = 2026  # chinesecalendar 1.11.0 knows up to 2026


@pytest.fixture(autouse=True)
def no_overrides_left_behind():
    wc.use_overrides({})
    yield
    wc.use_overrides({})


def at(app, moment: datetime):
    app.extensions["onewindow.runtime"].clock = lambda: moment


def test_years_without_data_names_only_unknown_years():
    assert wc.year_has_data(LAST_PUBLISHED) and not wc.year_has_data(LAST_PUBLISHED + 1)
    assert wc.years_without_data(date(2026, 3, 1), date(2026, 7, 29)) == []
    assert wc.years_without_data(date(2026, 12, 6), date(2027, 5, 5)) == [2027]
    assert wc.years_without_data(date(2026, 12, 6), date(2028, 1, 2)) == [2027, 2028]


@pytest.mark.parametrize("username", ["admin", "supervisor", "clerk", "rev_sj"])
def test_staff_see_the_banner_when_the_next_year_is_missing(app, username):
    at(app, datetime(2026, 12, 6, 2, tzinfo=timezone.utc))
    page = signed_in(app, username).get("/inbox").get_data(as_text=True)
    assert "calendar-missing" in page and "2027 年的法定节假日" in page
    assert ("/admin/calendar?year=2027" in page) == (username == "admin")


def test_no_banner_in_spring_or_for_applicants(app):
    at(app, datetime(2026, 3, 2, 2, tzinfo=timezone.utc))
    assert "calendar-missing" not in signed_in(app, "supervisor").get("/inbox").get_data(as_text=True)
    at(app, datetime(2026, 12, 6, 2, tzinfo=timezone.utc))
    assert "calendar-missing" not in signed_in(app, "applicant").get("/inbox").get_data(as_text=True)


def test_the_banner_goes_once_the_year_is_entered(app, db):
    at(app, datetime(2026, 12, 6, 2, tzinfo=timezone.utc))
    admin = signed_in(app, "admin")
    form = admin.get("/admin/calendar?year=2027").get_data(as_text=True)
    assert 'value="2027"' in form  # the year form offers the missing year itself
    with db.write() as session:
        enter_year(session, 2027, "国办发明电〔2026〕X号")
    with db.transaction() as conn:
        wc.refresh_overrides(conn)
    assert "calendar-missing" not in admin.get("/inbox").get_data(as_text=True)
