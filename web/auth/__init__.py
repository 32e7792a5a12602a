from flask import Blueprint

bp = Blueprint("auth", __name__, url_prefix="/auth")

from . import register, routes  # noqa: E402,F401
