"""Who is calling the JSON API.

Scripts send a personal token (`Authorization: Bearer <token>`, created with
`onewindow token create`); a token call needs no CSRF token, as no browser
sends it by itself. Pages of the same origin may call with the browser's
session instead; the blueprint is exempt from Flask-WTF's form CSRF check,
so session calls that change something must carry the page's CSRF token in
the `X-CSRFToken` header. Anything else is a 401, as are inactive users and
revoked tokens (the session loader already refuses inactive users)."""
from __future__ import annotations

from functools import wraps

from flask import current_app, g, request
from flask_login import current_user
from flask_wtf.csrf import validate_csrf
from sqlalchemy import select
from wtforms import ValidationError as CSRFValidationError

from engine.api_tokens import authenticate
from models import Case

from .. import get_db
from ..access import STAFF, visible_case_filter
from ..auth.session_user import SessionUser
from . import bp
from .errors import ApiError

SAFE_METHODS = ("GET", "HEAD", "OPTIONS")


def public(view):
    """No caller needed (the OpenAPI document)."""
    view.api_public = True
    return view


def caller() -> SessionUser:
    return g.api_user


def auth_method() -> str:
    return g.api_auth


@bp.before_request
def identify_caller():
    view = current_app.view_functions.get(request.endpoint)
    if getattr(view, "api_public", False):
        return None
    header = request.headers.get("Authorization")
    if header is not None:
        scheme, _, token = header.strip().partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise ApiError(401, "use `Authorization: Bearer <token>`")
        user = authenticate(get_db(), token.strip())
        if user is None:
            raise ApiError(401, "the token is unknown, revoked, or its user is inactive", code="invalid_token")
        g.api_user, g.api_auth = SessionUser.of(user), "token"
        return None
    if current_user.is_authenticated:
        if request.method not in SAFE_METHODS:
            try:
                validate_csrf(request.headers.get("X-CSRFToken"))
            except CSRFValidationError as exc:
                raise ApiError(400, f"session calls that change something need the X-CSRFToken header: {exc}",
                               code="csrf_failed") from None
        g.api_user, g.api_auth = current_user._get_current_object(), "session"
        return None
    raise ApiError(401, "sign in, or send `Authorization: Bearer <token>`")


def roles_required(*roles: str):
    """web.access.roles_required for the API: the caller's role, and a
    department for staff; 403 in JSON otherwise."""
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            user = caller()
            if user.role not in roles:
                raise ApiError(403, f"this needs the role {' or '.join(roles)}; you are {user.role}")
            if user.role in STAFF and not user.department_code:
                raise ApiError(403, "staff without a department may not act")
            return view(*args, **kwargs)

        return wrapper

    return decorator


def load_visible_case(session, case_id: int) -> Case:
    """The case if the caller may see it; a 404 otherwise, the same as for a
    case that does not exist."""
    case = session.scalar(select(Case).where(Case.id == case_id, visible_case_filter(caller())))
    if case is None:
        raise ApiError(404, f"no case {case_id}")
    return case


@bp.get("/me")
def me():
    """The caller.
    ---
    get:
      summary: Who is calling
      description: The signed-in user or the token's owner. Session calls also get the CSRF token
        to send as the X-CSRFToken header.
      tags: [me]
      responses:
        200:
          content:
            application/json:
              schema: MeSchema
        401: Unauthorized
    """
    from flask_wtf.csrf import generate_csrf

    from models import Department

    from .schemas import MeSchema

    user = caller()
    department = None
    if user.department_code:
        with get_db().read() as session:
            department = session.get(Department, user.department_code)
    payload = {"id": user.id, "username": user.username, "display_name": user.display_name, "role": user.role,
               "department": department, "auth": auth_method()}
    if auth_method() == "session":
        payload["csrf_token"] = generate_csrf()
    return MeSchema().dump(payload)
