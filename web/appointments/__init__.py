"""The applicant's appointments (预约办): free slots by date and service,
book, cancel, reschedule. Applicants only, and only their own: another
applicant's appointment is a 404."""
from flask import Blueprint

from ..labels import APPOINTMENT_LABELS

bp = Blueprint("appointments", __name__, url_prefix="/my/appointments")
bp.context_processor(lambda: APPOINTMENT_LABELS)

from . import routes  # noqa: E402,F401
