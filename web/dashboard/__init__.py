"""The supervisor's dashboard: figures, overdue work, ratings, the
quarterly ranking and its weights, the heat maps, CSV export."""
from flask import Blueprint

bp = Blueprint("dashboard", __name__, url_prefix="/dashboard")

from . import heatmap_routes, routes  # noqa: E402,F401
