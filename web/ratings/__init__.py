"""好差评 pages: the applicant rates a delivered case (/my/cases/<id>/rating),
the window records an on-site rating, a department works its 差评
rectifications (callback, outcome, appeal), the supervisor decides appeals
and reads the summary per department."""
from flask import Blueprint

bp = Blueprint("ratings", __name__)

from . import routes  # noqa: E402,F401
