"""智能导办 (What do I need): a public guide, for anyone, signed in or not.
A few questions from the scenario's own decision tables lead to the
component approvals and the materials list, before any application."""
from flask import Blueprint

bp = Blueprint("guide", __name__, url_prefix="/guide")

from . import routes  # noqa: E402,F401
