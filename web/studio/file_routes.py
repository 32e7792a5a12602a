"""Downloads for the desktop modeler: one file of a scenario's working copy
(its draft, else its active version), the working copy as a zip of the
scenario folder, and a deployed version's own files as a zip."""
from __future__ import annotations

from flask import Response, abort
from sqlalchemy import select

from engine.runtime.errors import NotFound
from engine.studio import drafts
from engine.studio.archive import folder_zip
from engine.studio.file_checks import kind_of
from engine.studio.version_files import own_files
from models import ProcessVersion

from .. import get_db
from ..access import roles_required
from . import EDITOR_ROLES, bp

MIMETYPES = {"bpmn": "application/xml", "dmn": "application/xml", "form": "application/json",
             "metadata": "application/json"}


def _attachment(body: bytes, name: str, mimetype: str) -> Response:
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def _working_files(key: str) -> dict[str, str]:
    with get_db().read() as session:
        try:
            return drafts.working_copy(session, key).files
        except NotFound:
            abort(404)


@bp.get("/<key>/files/<path:path>")
@roles_required(*EDITOR_ROLES)
def download_file(key: str, path: str):
    files = _working_files(key)
    if path not in files:
        abort(404)
    name = path.rsplit("/", 1)[-1]
    return _attachment(files[path].encode("utf-8"), name, MIMETYPES[kind_of(path)] + "; charset=utf-8")


@bp.get("/<key>/folder.zip")
@roles_required(*EDITOR_ROLES)
def download_folder(key: str):
    return _attachment(folder_zip(key, _working_files(key)), f"{key}.zip", "application/zip")


@bp.get("/<key>/v<int:number>.zip")
@roles_required(*EDITOR_ROLES)
def download_version(key: str, number: int):
    with get_db().read() as session:
        version = session.scalar(select(ProcessVersion).where(ProcessVersion.scenario_key == key,
                                                              ProcessVersion.version == number))
        if version is None:
            abort(404)
        files = own_files(session, version)
    return _attachment(folder_zip(key, files), f"{key}-v{number}.zip", "application/zip")
