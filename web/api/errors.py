"""Every error under /api/v1/ is JSON: {"code": ..., "message": ..., **details}.
Engine errors keep their code and HTTP status (engine/runtime/errors.py),
a bad request body is a 422 with per-field messages, and the HTTP errors
Flask raises itself (unknown URL, wrong method, rate limit, crash) are
turned into JSON by the app's handlers through `http_error`."""
from __future__ import annotations

from flask import jsonify, request
from marshmallow import ValidationError
from werkzeug.exceptions import HTTPException, MethodNotAllowed
from werkzeug.http import HTTP_STATUS_CODES

from engine.runtime.errors import CommandError

PREFIX = "/api/v1"

CODES = {400: "bad_request", 401: "unauthorized", 403: "forbidden", 404: "not_found",
         405: "method_not_allowed", 409: "conflict", 413: "too_large", 415: "unsupported_media_type",
         422: "invalid_request", 429: "too_many_requests", 500: "internal_error"}


class ApiError(Exception):
    def __init__(self, status: int, message: str, code: str | None = None, **details):
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, "error")
        self.message = message
        self.details = details


def error_response(status: int, code: str, message: str, **details):
    response = jsonify({"code": code, "message": message, **details})
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="onewindow"'
    return response


def is_api_request() -> bool:
    return request.path == PREFIX or request.path.startswith(PREFIX + "/")


def http_error(exc: HTTPException | None, status: int | None = None):
    """An HTTP error as JSON (for the app-level handlers)."""
    status = status or (exc.code if exc is not None else 500) or 500
    message = HTTP_STATUS_CODES.get(status, "error")
    if status == 429 and exc is not None and exc.description:
        message = f"{message}: {exc.description}"
    response = error_response(status, CODES.get(status, "error"), message)
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        response.headers["Allow"] = ", ".join(sorted(exc.valid_methods))
    return response


def register(bp) -> None:
    @bp.errorhandler(ApiError)
    def api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, **exc.details)

    @bp.errorhandler(CommandError)
    def command_error(exc: CommandError):
        return error_response(exc.http_status, exc.code, exc.message, **exc.details)

    @bp.errorhandler(ValidationError)
    def invalid_request(exc: ValidationError):
        errors = exc.messages if isinstance(exc.messages, dict) else {"_schema": exc.messages}
        return error_response(422, "invalid_request", "the request has errors; see `errors` per field",
                              errors=errors)

    @bp.record_once
    def _register_app_handlers(state):
        # HTTP errors that no page handler covers (405, 401, 415, ...):
        # JSON under /api/v1/, Werkzeug's default elsewhere.
        @state.app.errorhandler(HTTPException)
        def any_http_error(exc: HTTPException):
            return http_error(exc) if is_api_request() else exc
