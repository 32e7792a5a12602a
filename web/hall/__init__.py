"""The hall's side of appointments: the window's list of the day's
appointments and check-in (clerks of the comprehensive window), and the
hall calendar with slot generation (supervisor, admin)."""
from flask import Blueprint

from ..labels import (APPOINTMENT_CHANNEL_NAMES, APPOINTMENT_STATUS_NAMES, CATEGORY_NAMES, SESSION_KIND_NAMES,
                      WEEKDAY_NAMES)

bp = Blueprint("hall", __name__, url_prefix="/hall")


@bp.context_processor
def _labels() -> dict:
    return {"APPOINTMENT_STATUS_NAMES": APPOINTMENT_STATUS_NAMES, "SESSION_KIND_NAMES": SESSION_KIND_NAMES,
            "APPOINTMENT_CHANNEL_NAMES": APPOINTMENT_CHANNEL_NAMES, "WEEKDAY_NAMES": WEEKDAY_NAMES,
            "CATEGORY_NAMES": CATEGORY_NAMES}


from . import routes  # noqa: E402,F401
