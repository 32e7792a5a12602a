"""Downloading an uploaded file: only its owner, or someone who may see the
case it belongs to; anyone else gets a 404."""
from flask import Blueprint

bp = Blueprint("files", __name__, url_prefix="/files")

from . import routes  # noqa: E402,F401
