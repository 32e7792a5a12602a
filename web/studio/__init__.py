"""The process designer's studio (issue 7): the scenarios with their
versions and drafts, the in-browser BPMN modeler, uploads and downloads of
process files, deploying a draft. Designers' and administrators' only."""
from flask import Blueprint

bp = Blueprint("studio", __name__, url_prefix="/studio")

EDITOR_ROLES = ("designer", "admin")

from . import (compare_routes, dmn_routes, editor_routes, file_routes, form_routes, migrate_routes,  # noqa: E402,F401
               routes, simulate_routes)
