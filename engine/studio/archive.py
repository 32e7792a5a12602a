"""A scenario folder as a zip, for the desktop modeler: the same files
laid out as in processes/<key>/, stamped with a fixed time so the same
files always make the same archive."""
from __future__ import annotations

import io
import zipfile

FIXED_TIME = (2020, 1, 1, 0, 0, 0)


def folder_zip(folder: str, files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(files):
            info = zipfile.ZipInfo(f"{folder}/{path}", date_time=FIXED_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, files[path].encode("utf-8"))
    return buffer.getvalue()
