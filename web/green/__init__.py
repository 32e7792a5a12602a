"""绿色通道办 pages: the supervisor's key-project list, and the steward's
(项目管家) cases of the projects they look after."""
from flask import Blueprint

bp = Blueprint("green", __name__, url_prefix="/key-projects")

from . import routes  # noqa: E402,F401
