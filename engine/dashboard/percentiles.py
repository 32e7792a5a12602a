"""Median and 90th percentile in SQL on both databases. SQLite has no
percentile function, so instead of percentile_cont this ranks the values of
each group with ROW_NUMBER() and COUNT() window functions and returns only
the two neighbouring rows around each wanted rank (at most four rows per
group): the database sorts, Python interpolates. The result equals
PostgreSQL's percentile_cont (linear interpolation between the closest
ranks), and what is read stays bounded whatever the table's size."""
from __future__ import annotations

from fractions import Fraction

from sqlalchemy import func, or_, select

PERCENTS = (50, 90)


def percentiles(conn, value, groups: list, where: list, percents=PERCENTS) -> dict[tuple, dict[int, float]]:
    """{group key tuple: {percent: value}} over the rows matching `where`
    whose `value` is not NULL."""
    ranked = select(*groups, value.label("v"),
                    func.row_number().over(partition_by=groups, order_by=value).label("rn"),
                    func.count().over(partition_by=groups).label("n")
                    ).where(value.is_not(None), *where).subquery()
    # The integer part of (n - 1) * p / 100 (integer division on both databases).
    wanted = [(ranked.c.n - 1) * p // 100 + offset for p in percents for offset in (1, 2)]
    keys = [ranked.c[g.key] for g in groups]
    rows = conn.execute(select(*keys, ranked.c.rn, ranked.c.n, ranked.c.v)
                        .where(or_(*(ranked.c.rn == w for w in wanted))))
    by_group: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[:len(keys)])
        entry = by_group.setdefault(key, {"n": row.n, "values": {}})
        entry["values"][row.rn] = row.v
    return {key: {p: interpolate(entry["values"], entry["n"], p) for p in percents}
            for key, entry in by_group.items()}


def interpolate(values_by_rank: dict[int, float], n: int, percent: int) -> float:
    """percentile_cont over ranks 1..n given the values at the ranks around
    1 + (n - 1) * percent / 100."""
    position = Fraction((n - 1) * percent, 100)
    low = int(position)
    below = values_by_rank[low + 1]
    fraction = position - low
    if fraction == 0:
        return float(below)
    return float(below + (values_by_rank[low + 2] - below) * fraction)


def of_values(values: list[float], percent: int) -> float:
    """The same figure from a Python list (tests, and small in-memory sets)."""
    ordered = sorted(values)
    return interpolate({i + 1: v for i, v in enumerate(ordered)}, len(ordered), percent)
