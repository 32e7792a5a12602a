"""The applicant's side (网上办事): their cases, and from here every
service mode they use online. Every route is for applicants only and shows
only the signed-in applicant's own records."""
from flask import Blueprint

bp = Blueprint("portal", __name__, url_prefix="/my")

from . import apply, routes, status  # noqa: E402,F401
