"""江汉政企通, the staff side: a department's enterprise requests (sign,
answer, transfer), the window's dispatch of requests left to the hall, the
supervisors' overview of breaches, and publishing policy notices."""
from flask import Blueprint

bp = Blueprint("enterprise", __name__, url_prefix="/enterprise")

from . import routes  # noqa: E402,F401
from .display import register_display  # noqa: E402

bp.record_once(lambda state: register_display(state.app))
