"""One way to page a long list on every page that has one (the work queue,
the inbox, enterprise requests, cases to migrate): `?page=N`, a fixed page
size per list, and the pager partial (templates/_pager.html) that keeps the
list's other filters in its links."""
from __future__ import annotations

from dataclasses import dataclass

from flask import request
from sqlalchemy import func, select


@dataclass(frozen=True)
class Page:
    number: int
    size: int
    total: int

    @property
    def offset(self) -> int:
        return (self.number - 1) * self.size

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.size))


def requested_page() -> int:
    return max(request.args.get("page", 1, type=int), 1)


def page_of(session, query, size: int) -> Page:
    """The requested page of `query` (a select), with its total count."""
    total = session.scalar(select(func.count()).select_from(query.order_by(None).subquery())) or 0
    return Page(requested_page(), size, total)
