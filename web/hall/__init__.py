"""The hall's side of appointments: the window's list of the day's
appointments and check-in (clerks of the comprehensive window), and the
hall calendar with slot generation (supervisor, admin)."""
from flask import Blueprint

from ..labels import APPOINTMENT_LABELS

bp = Blueprint("hall", __name__, url_prefix="/hall")
bp.context_processor(lambda: APPOINTMENT_LABELS)

from . import routes  # noqa: E402,F401
