"""`onewindow slots generate --from D --to D`: appointment slots from the
hall calendar (the same as the calendar page's button)."""
from __future__ import annotations

import click


@click.group()
def slots():
    """The hall's appointment slots."""


@slots.command("generate")
@click.option("--from", "first", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="First day.")
@click.option("--to", "last", required=True, type=click.DateTime(formats=["%Y-%m-%d"]), help="Last day.")
def generate(first, last):
    """Create the slots of every hall session from --from to --to (inclusive);
    existing slots and their bookings stay as they are."""
    from engine.appointments.hall_calendar import generate_slots
    from web import create_app, get_db

    try:
        with get_db(create_app()).write() as session:
            created = generate_slots(session, first.date(), last.date())
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None
    click.echo(f"{created} slots created from {first.date().isoformat()} to {last.date().isoformat()}")
