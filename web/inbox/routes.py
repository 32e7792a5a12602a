"""List one's notifications, open one (marks it read and follows its link),
mark all read. Only one's own: another user's notification is a 404."""
from flask import abort, redirect, render_template, url_for
from flask_login import current_user, login_required
from sqlalchemy import select

from engine.notifications import mark_read
from models import Notification

from .. import get_db
from ..paging import page_of
from . import bp

PAGE = 50


@bp.get("")
@login_required
def index():
    with get_db().read() as session:
        query = select(Notification).where(Notification.user_id == current_user.id)
        pager = page_of(session, query, PAGE)
        notes = session.scalars(query.order_by(Notification.id.desc()).offset(pager.offset).limit(pager.size)).all()
    return render_template("inbox/index.html", notes=notes, pager=pager)


@bp.post("/<int:notification_id>/open")
@login_required
def open_one(notification_id: int):
    with get_db().write() as session:
        note = session.scalar(select(Notification).where(Notification.id == notification_id,
                                                         Notification.user_id == current_user.id))
        if note is None:
            abort(404)
        mark_read(session, current_user.id, notification_id)
        link = note.link
    return redirect(link if link.startswith("/") and not link.startswith("//") else url_for("inbox.index"))


@bp.post("/read-all")
@login_required
def read_all():
    with get_db().write() as session:
        mark_read(session, current_user.id)
    return redirect(url_for("inbox.index"))
