"""Calendar quarters in Beijing time: the ranking's period (江汉区's
quarterly unit scoring, SCENARIOS.md §4.1)."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, time, timezone

from ..workcalendar import BEIJING

_LABEL = re.compile(r"^(\d{4})Q([1-4])$")


@dataclass(frozen=True, order=True)
class Quarter:
    year: int
    number: int

    @classmethod
    def of(cls, moment: datetime) -> "Quarter":
        local = moment.astimezone(BEIJING)
        return cls(local.year, (local.month - 1) // 3 + 1)

    @classmethod
    def parse(cls, label: str) -> "Quarter":
        match = _LABEL.match((label or "").strip().upper())
        if not match or not 2000 <= int(match.group(1)) <= 2100:
            raise ValueError(f"not a quarter: {label!r} (write it like 2026Q1)")
        return cls(int(match.group(1)), int(match.group(2)))

    @property
    def label(self) -> str:
        return f"{self.year}Q{self.number}"

    @property
    def start(self) -> datetime:
        """The first moment, Beijing midnight of its first day, in UTC."""
        return _beijing_midnight(self.year, 3 * self.number - 2)

    @property
    def end(self) -> datetime:
        """The first moment of the next quarter (exclusive)."""
        return self.next().start

    def next(self) -> "Quarter":
        return Quarter(self.year + 1, 1) if self.number == 4 else Quarter(self.year, self.number + 1)

    def previous(self) -> "Quarter":
        return Quarter(self.year - 1, 4) if self.number == 1 else Quarter(self.year, self.number - 1)

    def recent(self, count: int) -> list["Quarter"]:
        """This quarter and the `count - 1` before it, newest first."""
        quarters = [self]
        while len(quarters) < count:
            quarters.append(quarters[-1].previous())
        return quarters


def _beijing_midnight(year: int, month: int) -> datetime:
    return datetime.combine(datetime(year, month, 1).date(), time(0, 0), BEIJING).astimezone(timezone.utc)
