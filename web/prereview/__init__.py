"""网上预审: the comprehensive window's queue of online applications. A clerk
opens one, reads the data, downloads the materials, and accepts it (the case
starts) or returns it with the reasons."""
from flask import Blueprint

bp = Blueprint("prereview", __name__, url_prefix="/window/online")

from . import routes  # noqa: E402,F401
