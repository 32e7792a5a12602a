from flask import Blueprint

bp = Blueprint("window", __name__, url_prefix="/window")

from . import routes  # noqa: E402,F401
