"""Sign-in and sign-out. Passwords are checked against werkzeug hashes;
sign-in attempts are rate-limited per client address; a failed sign-in
says nothing about which of the two fields was wrong."""
from urllib.parse import urlsplit

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import select
from werkzeug.security import check_password_hash

from models import User

from .. import get_db
from ..extensions import limiter
from . import bp
from .forms import LoginForm
from .session_user import SessionUser


def _safe_next(target: str | None) -> str:
    if target and target.startswith("/") and not target.startswith("//") and not urlsplit(target).netloc:
        return target
    return url_for("main.index")


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit("10 per minute", methods=["POST"])
def login():
    if current_user.is_authenticated:
        return redirect(url_for("main.index"))
    form = LoginForm()
    if form.validate_on_submit():
        with get_db().read() as db_session:
            user = db_session.scalar(select(User).where(User.username == form.username.data.strip()))
            ok = user is not None and user.active and check_password_hash(user.password_hash, form.password.data)
            snapshot = SessionUser.of(user) if ok else None
        if snapshot is None:
            flash(_("用户名或密码不正确"), "error")
            return render_template("auth/login.html", form=form), 401
        session.clear()  # no session fixation
        login_user(snapshot)
        return redirect(_safe_next(request.args.get("next")))
    return render_template("auth/login.html", form=form), (400 if form.errors else 200)


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    session.clear()
    flash(_("已退出登录"), "info")
    return redirect(url_for("auth.login"))
