"""The applicant's appointments (预约办): free slots by date and service,
book, cancel, reschedule. Applicants only, and only their own: another
applicant's appointment is a 404."""
from flask import Blueprint

from ..labels import APPOINTMENT_CHANNEL_NAMES, APPOINTMENT_STATUS_NAMES, SESSION_KIND_NAMES, WEEKDAY_NAMES

bp = Blueprint("appointments", __name__, url_prefix="/my/appointments")


@bp.context_processor
def _labels() -> dict:
    return {"APPOINTMENT_STATUS_NAMES": APPOINTMENT_STATUS_NAMES, "SESSION_KIND_NAMES": SESSION_KIND_NAMES,
            "APPOINTMENT_CHANNEL_NAMES": APPOINTMENT_CHANNEL_NAMES, "WEEKDAY_NAMES": WEEKDAY_NAMES}


from . import routes  # noqa: E402,F401
