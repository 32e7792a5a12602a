"""OneWindow's Flask application factory (the flaskr pattern: explicit
create_app, an instance folder holding the SQLite file)."""
from __future__ import annotations

import os

from flask import Flask

from engine.runtime.service import Runtime
from models import Database, default_url


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_mapping(
        SECRET_KEY=os.environ.get("SECRET_KEY", "dev-only-change-me"),
        DATABASE_URL=None,
        JSON_AS_ASCII=False,
    )
    if test_config is None:
        app.config.from_prefixed_env("ONEWINDOW")
    else:
        app.config.update(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    url = app.config.get("DATABASE_URL") or default_url(app.instance_path)
    db = Database(url)
    app.extensions["onewindow.db"] = db
    app.extensions["onewindow.runtime"] = Runtime(db)
    app.json.ensure_ascii = False

    from .main import bp as main_bp

    app.register_blueprint(main_bp)
    return app


def get_db(app=None) -> Database:
    from flask import current_app

    return (app or current_app).extensions["onewindow.db"]


def get_runtime(app=None) -> Runtime:
    from flask import current_app

    return (app or current_app).extensions["onewindow.runtime"]
