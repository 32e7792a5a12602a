"""OneWindow's Flask application factory (the flaskr pattern: explicit
create_app, an instance folder holding the SQLite file and the secret key)."""
from __future__ import annotations

import os
import secrets

from flask import Flask

from engine.file_store import FileStore
from engine.runtime.service import Runtime
from models import Database, default_url


def _secret_key(instance_path: str) -> str:
    """SECRET_KEY from the environment, else one generated once and kept in
    the instance folder (never a key written in the code)."""
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "w") as handle:
            handle.write(secrets.token_hex(32))
    with open(path) as handle:
        return handle.read().strip()


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.from_mapping(
        DATABASE_URL=None,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        # Behind TLS in production: ONEWINDOW_SESSION_COOKIE_SECURE=true.
        SESSION_COOKIE_SECURE=False,
        REMEMBER_COOKIE_HTTPONLY=True,
        REMEMBER_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=8 * 3600,  # one working day
        BABEL_DEFAULT_LOCALE="zh",
        BABEL_TRANSLATION_DIRECTORIES="translations",
        WTF_CSRF_TIME_LIMIT=8 * 3600,
        # A request body above this is refused before it is read (413); each
        # file is also held to engine/file_store.py's own limit.
        MAX_CONTENT_LENGTH=32 * 1024 * 1024,
    )
    if test_config is None:
        app.config.from_prefixed_env("ONEWINDOW")
    else:
        app.config.update(test_config)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _secret_key(app.instance_path)
    url = app.config.get("DATABASE_URL") or default_url(app.instance_path)
    db = Database(url)
    app.extensions["onewindow.db"] = db
    app.extensions["onewindow.runtime"] = Runtime(db)
    _load_calendar(db)
    app.extensions["onewindow.files"] = FileStore(app.config.get("UPLOAD_FOLDER")
                                                  or os.path.join(app.instance_path, "uploads"))
    app.json.ensure_ascii = False

    _init_extensions(app)
    _register_blueprints(app)
    return app


def _load_calendar(db: Database) -> None:
    """The administrator's calendar overrides; a database not migrated yet
    (before `onewindow init`) has none to load."""
    from sqlalchemy.exc import OperationalError, ProgrammingError

    from engine.workcalendar import refresh_overrides

    try:
        with db.transaction() as conn:
            refresh_overrides(conn)
    except (OperationalError, ProgrammingError):
        pass


def _init_extensions(app: Flask) -> None:
    from flask_babel import get_locale

    from .extensions import babel, csrf, limiter, login_manager
    from .i18n import compile_catalogs, select_locale
    from .form_view import values_of
    from .time_view import remaining
    from .labels import (APPLICATION_STATUS_NAMES, CATEGORY_NAMES, DECISION_NAMES, EVENT_NAMES, MATERIAL_STATE_NAMES,
                         MIGRATION_REASON_NAMES, ROLE_NAMES, STATUS_NAMES, STEP_STATE_NAMES)

    compile_catalogs()
    babel.init_app(app, locale_selector=select_locale)
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None
    app.jinja_env.globals.update(get_locale=get_locale, ROLE_NAMES=ROLE_NAMES, CATEGORY_NAMES=CATEGORY_NAMES,
                                 STATUS_NAMES=STATUS_NAMES, EVENT_NAMES=EVENT_NAMES, DECISION_NAMES=DECISION_NAMES,
                                 MATERIAL_STATE_NAMES=MATERIAL_STATE_NAMES,
                                 APPLICATION_STATUS_NAMES=APPLICATION_STATUS_NAMES, STEP_STATE_NAMES=STEP_STATE_NAMES,
                                 MIGRATION_REASON_NAMES=MIGRATION_REASON_NAMES,
                                 values_of=values_of, remaining=remaining)
    app.jinja_env.filters["local_time"] = local_time
    app.context_processor(_unread_notifications)
    app.context_processor(_calendar_horizon)
    from .auth import session_user  # noqa: F401  (registers the user loader)


def _unread_notifications() -> dict:
    """The inbox badge in the top bar: one indexed count per page."""
    from flask_login import current_user

    if not current_user.is_authenticated:
        return {"unread_notifications": 0}
    from engine.notifications import unread_count

    with get_db().read() as session:
        return {"unread_notifications": unread_count(session, current_user.id)}


# The longest promise in the library (construction, 90 working days) spans
# about 130 calendar days; staff are told before a promise can reach a year
# the calendar does not know (the State Council publishes the next year's
# holidays in the autumn, and an administrator enters them: DESIGN.md decision 7).
CALENDAR_LOOKAHEAD_DAYS = 150
STAFF_ROLES = ("clerk", "reviewer", "supervisor", "admin", "designer")


def _calendar_horizon() -> dict:
    from datetime import timedelta

    from flask_login import current_user

    from engine.workcalendar import BEIJING, years_without_data

    if not current_user.is_authenticated or current_user.role not in STAFF_ROLES:
        return {"calendar_missing_years": []}
    today = get_runtime().clock().astimezone(BEIJING).date()
    return {"calendar_missing_years": years_without_data(today, today + timedelta(days=CALENDAR_LOOKAHEAD_DAYS))}


def local_time(moment) -> str:
    """Beijing time, as the hall reads clocks."""
    from engine.workcalendar import BEIJING

    return moment.astimezone(BEIJING).strftime("%Y-%m-%d %H:%M") if moment else ""


def _register_blueprints(app: Flask) -> None:
    from .admin import bp as admin_bp
    from .api import bp as api_bp
    from .appointments import bp as appointments_bp
    from .hall import bp as hall_bp
    from .auth import bp as auth_bp
    from .cases import bp as cases_bp
    from .dashboard import bp as dashboard_bp
    from .queue import bp as queue_bp
    from .window import bp as window_bp
    from .errors import register as register_errors
    from .extensions import csrf
    from .files import bp as files_bp
    from .guide import bp as guide_bp
    from .i18n import bp as i18n_bp
    from .inbox import bp as inbox_bp
    from .main import bp as main_bp
    from .portal import bp as portal_bp
    from .visits import bp as visits_bp
    from .green import bp as green_bp
    from .ratings import bp as ratings_bp
    from .enterprise import bp as enterprise_bp
    from .enterprise_portal import bp as enterprise_portal_bp
    from .prereview import bp as prereview_bp
    from .studio import bp as studio_bp

    app.register_blueprint(main_bp)
    app.register_blueprint(auth_bp)
    app.register_blueprint(i18n_bp)
    app.register_blueprint(queue_bp)
    app.register_blueprint(cases_bp)
    app.register_blueprint(window_bp)
    app.register_blueprint(portal_bp)
    app.register_blueprint(inbox_bp)
    app.register_blueprint(files_bp)
    app.register_blueprint(admin_bp)
    app.register_blueprint(appointments_bp)
    app.register_blueprint(hall_bp)
    app.register_blueprint(visits_bp)
    app.register_blueprint(green_bp)
    app.register_blueprint(ratings_bp)
    app.register_blueprint(enterprise_bp)
    app.register_blueprint(enterprise_portal_bp)
    app.register_blueprint(dashboard_bp)
    app.register_blueprint(guide_bp)
    app.register_blueprint(prereview_bp)
    app.register_blueprint(studio_bp)
    # The API checks CSRF itself: the X-CSRFToken header on session calls,
    # none on bearer-token calls (web/api/auth.py).
    csrf.exempt(api_bp)
    app.register_blueprint(api_bp)
    register_errors(app)


def get_db(app=None) -> Database:
    from flask import current_app

    return (app or current_app).extensions["onewindow.db"]


def get_runtime(app=None) -> Runtime:
    from flask import current_app

    return (app or current_app).extensions["onewindow.runtime"]


def get_files(app=None) -> FileStore:
    from flask import current_app

    return (app or current_app).extensions["onewindow.files"]
