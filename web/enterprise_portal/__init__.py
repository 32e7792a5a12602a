"""江汉政企通, the applicant's side (/my/requests, /my/notices): a company
files requests, follows their clocks, reads the answer, rates it or
reopens it once; every applicant reads the policy notices meant for them.
Only one's own requests: another company's is a 404."""
from flask import Blueprint

bp = Blueprint("enterprise_portal", __name__, url_prefix="/my")

from . import routes  # noqa: E402,F401
