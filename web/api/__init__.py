"""The JSON API under /api/v1/: the workbench's actions for scripts and for
pages that call it (issue "workbench", item 6). One module per concept:
auth (who is calling), schemas (marshmallow, at the JSON edge), errors
(everything as {"code", "message", ...}), cases and work_items and
processes (the routes), openapi (the generated document)."""
from flask import Blueprint

bp = Blueprint("api", __name__, url_prefix="/api/v1")

from . import auth, cases, errors, openapi, processes, work_items  # noqa: E402,F401

errors.register(bp)
