"""One pager for every long list (web/paging.py, templates/_pager.html):
the page's rows, its total, and links that keep the list's filters."""
from __future__ import annotations

import re

from engine.notifications import notify
from tests.rating_cases import user_id
from tests.web_helpers import signed_in
from web.paging import Page


def test_page_arithmetic():
    assert (Page(1, 50, 0).pages, Page(1, 50, 0).offset) == (1, 0)
    assert (Page(2, 50, 101).pages, Page(2, 50, 101).offset) == (3, 50)
    assert Page(3, 25, 75).pages == 3


def test_the_inbox_pages_and_keeps_the_other_arguments(app, db):
    clerk = user_id(db, "clerk")
    with db.transaction() as conn:
        for n in range(55):
            notify(conn, clerk, "test", f"通知 {n:02d}")
    client = signed_in(app, "clerk")
    first = client.get("/inbox?keep=yes").get_data(as_text=True)
    assert len(re.findall(r"通知 \d\d", first)) == 50 and "通知 54" in first and "通知 04" not in first
    assert "第 1/2 页，共 55 条" in first
    next_link = re.search(r'<a rel="next" href="([^"]+)"', first).group(1).replace("&amp;", "&")
    assert "keep=yes" in next_link and "page=2" in next_link and 'rel="prev"' not in first
    second = client.get(next_link).get_data(as_text=True)
    assert len(re.findall(r"通知 \d\d", second)) == 5 and "通知 00" in second and 'rel="next"' not in second
    assert "page=1" in re.search(r'<a rel="prev" href="([^"]+)"', second).group(1)


def test_one_page_needs_no_pager(app):
    assert 'class="pager"' not in signed_in(app, "clerk").get("/inbox").get_data(as_text=True)
