from flask import abort, send_file
from flask_login import current_user, login_required
from sqlalchemy import select

from engine.departments import WINDOW
from models import ApplicationFile, Case, OnlineApplication, StoredFile

from .. import get_db, get_files
from ..access import visible_case_filter
from . import bp


def may_read(session, row: StoredFile) -> bool:
    if row.owner_id == current_user.id:
        return True
    if row.case_id is None:
        return _in_prereview(session, row)
    return session.scalar(select(Case.id).where(Case.id == row.case_id, visible_case_filter(current_user))) is not None


@bp.get("/<int:file_id>")
@login_required
def download(file_id: int):
    with get_db().read() as session:
        row = session.get(StoredFile, file_id)
        if row is None or not may_read(session, row):
            abort(404)
        session.expunge(row)
    return send_stored(row)


def send_stored(row: StoredFile):
    """The bytes of a row the caller has checked the user may read."""
    try:
        handle = get_files().open(row)
    except FileNotFoundError:
        abort(410, description="the stored bytes of this file are gone")
    # Never rendered inline from our origin: a PDF or image opens as a download.
    return send_file(handle, mimetype=row.content_type, as_attachment=True, download_name=row.filename,
                     max_age=0, etag=row.sha256)


def _in_prereview(session, row: StoredFile) -> bool:
    """A material of a submitted online application, before any case: the
    comprehensive window's clerks pre-review it (网上预审)."""
    if not (current_user.role == "clerk" and current_user.department_code == WINDOW):
        return False
    return session.scalar(select(ApplicationFile.id).join(
        OnlineApplication, OnlineApplication.id == ApplicationFile.application_id).where(
        ApplicationFile.stored_file_id == row.id, OnlineApplication.status != "draft")) is not None
