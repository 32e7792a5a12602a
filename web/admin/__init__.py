"""The administrator's pages: the legal calendar's overrides."""
from flask import Blueprint

bp = Blueprint("admin", __name__, url_prefix="/admin")

from . import calendar_routes  # noqa: E402,F401
