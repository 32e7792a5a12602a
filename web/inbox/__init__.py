"""The in-app inbox (站内消息) of every signed-in user, staff and applicants."""
from flask import Blueprint

bp = Blueprint("inbox", __name__, url_prefix="/inbox")

from . import routes  # noqa: E402,F401
