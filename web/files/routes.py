from flask import abort, send_file
from flask_login import current_user, login_required
from sqlalchemy import select

from models import Case, StoredFile

from .. import get_db, get_files
from ..access import visible_case_filter
from . import bp


def may_read(session, row: StoredFile) -> bool:
    if row.owner_id == current_user.id:
        return True
    if row.case_id is None:
        return False
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
