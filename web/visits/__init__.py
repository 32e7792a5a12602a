"""上门办 pages: the applicant's requests under /my/visits, the supervisor's
and the assigned staff's under /visits."""
from flask import Blueprint

bp = Blueprint("visits", __name__)

from . import routes  # noqa: E402,F401
