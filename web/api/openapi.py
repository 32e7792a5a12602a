"""The OpenAPI 3 document of /api/v1, generated with apispec from the
marshmallow schemas and the YAML after `---` in each route's docstring.
Path parameters come from the Flask rules, so a route cannot be left out
or documented under another path."""
from __future__ import annotations

import re

from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin
from apispec.yaml_utils import load_operations_from_docstring
from flask import current_app

from . import bp, schemas
from .auth import public
from .errors import PREFIX

TITLE = "OneWindow 一窗通办 API"
VERSION = "1.0.0"
RULE_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")  # <int:case_id>, <task_id>
CONVERTER_TYPES = {"int": {"type": "integer"}, "float": {"type": "number"}}
ERROR_RESPONSES = {
    "BadRequest": "The body is not JSON, or a session call lacks its X-CSRFToken header.",
    "Unauthorized": "No valid token or session (a revoked token, an inactive user).",
    "Forbidden": "The caller's role may not do this.",
    "NotFound": "No such case or task, or not one the caller may see.",
    "Conflict": "The case moved on: completed, claimed or withdrawn by someone else (the message says who).",
    "InvalidRequest": "The body or the query has errors: `errors` per field (lists of messages; for a "
                      "form, {zh, en}).",
}


def _path_of(rule) -> tuple[str, list[dict]]:
    parameters = []
    path = RULE_ARGUMENT.sub(lambda m: "{" + m.group(2) + "}", rule.rule)
    for match in RULE_ARGUMENT.finditer(rule.rule):
        converter, name = match.group(1) or "default", match.group(2)
        parameters.append({"in": "path", "name": name, "required": True,
                           "schema": CONVERTER_TYPES.get(converter, {"type": "string"})})
    return path, parameters


def build_spec(app) -> dict:
    spec = APISpec(title=TITLE, version=VERSION, openapi_version="3.0.3",
                   plugins=[MarshmallowPlugin()],
                   info={"description": "The workbench's actions as JSON: start cases at the window, work a "
                                        "department's queue, claim, release and complete tasks. Errors are "
                                        "`{code, message, ...}`."},
                   servers=[{"url": "/"}])
    spec.components.security_scheme("bearerAuth", {"type": "http", "scheme": "bearer",
                                                   "description": "`onewindow token create --as USER --name NAME`"})
    spec.components.security_scheme("sessionCookie", {"type": "apiKey", "in": "cookie", "name": "session",
                                                      "description": "Same-origin pages; POST needs the "
                                                                     "X-CSRFToken header."})
    spec.components.schema("Error", schema=schemas.ErrorSchema)
    for name, description in ERROR_RESPONSES.items():
        spec.components.response(name, {"description": description,
                                         "content": {"application/json": {"schema": "Error"}}})
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if not rule.rule.startswith(PREFIX + "/") or rule.endpoint == "static":
            continue
        view = app.view_functions[rule.endpoint]
        operations = load_operations_from_docstring(view.__doc__ or "")
        methods = sorted((rule.methods or set()) - {"HEAD", "OPTIONS"})
        path, parameters = _path_of(rule)
        for method in methods:
            operation = operations.setdefault(method.lower(), {"summary": (view.__doc__ or "").strip()
                                                               .splitlines()[0] if view.__doc__ else rule.endpoint})
            operation.setdefault("operationId", rule.endpoint.removeprefix("api."))
            for response in operation.setdefault("responses", {}).values():
                if isinstance(response, dict):
                    response.setdefault("description", "OK")
            if getattr(view, "api_public", False):
                operation["security"] = []
        spec.path(path=path, operations={m: o for m, o in operations.items() if m.upper() in methods},
                  parameters=parameters or None)
    document = spec.to_dict()
    document["security"] = [{"bearerAuth": []}, {"sessionCookie": []}]
    return document


@bp.get("/openapi.json")
@public
def openapi_document():
    """This document.
    ---
    get:
      summary: The OpenAPI 3 document of this API (no sign-in needed)
      tags: [meta]
      responses:
        200:
          description: OpenAPI 3.0 JSON
          content:
            application/json:
              schema:
                type: object
    """
    document = current_app.extensions.get("onewindow.openapi")
    if document is None:
        document = current_app.extensions["onewindow.openapi"] = build_spec(current_app)
    return document
