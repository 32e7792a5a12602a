"""`onewindow init` seeds the demo hall; `onewindow slots generate` adds
slots from the hall calendar, once, and refuses a backwards range."""
from __future__ import annotations

import os

from sqlalchemy import func, select

from models import AppointmentSlot, Database
from tests.test_cli import cli  # noqa: F401  (the fixture: init on a fresh SQLite file)


def test_init_seeds_the_hall_and_slots_generate_adds_more(cli):  # noqa: F811
    db = Database(os.environ["DATABASE_URL"])
    with db.read() as session:
        assert session.scalar(select(func.count()).select_from(AppointmentSlot)) > 0
    db.dispose()
    result = cli("slots", "generate", "--from", "2025-03-10", "--to", "2025-03-15")
    # Mon-Fri: 3 one_thing windows x (15 regular + 3 lunch + 4 evening) + B01 x 15 regular; Sat: 3 x 6.
    assert result.output.strip() == f"{5 * (3 * 22 + 15) + 3 * 6} slots created from 2025-03-10 to 2025-03-15"
    assert "0 slots created" in cli("slots", "generate", "--from", "2025-03-10", "--to", "2025-03-15").output
    backwards = cli("slots", "generate", "--from", "2025-03-15", "--to", "2025-03-10", ok=False)
    assert backwards.exit_code != 0 and "ends before it starts" in backwards.output
