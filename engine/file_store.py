"""Uploaded files: checked by size and by content (the first bytes must
match the declared type; a renamed executable is refused), stored once per
content hash under the instance folder, never at a path a user chose.

Saving the bytes happens before the row is committed; a rolled-back upload
leaves an unreferenced blob, which is harmless (same hash, same bytes) and
never served: only rows are served, and only to who may see them."""
from __future__ import annotations

import hashlib
import os
import tempfile
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from models import StoredFile

MAX_BYTES = 10 * 1024 * 1024
CHUNK = 64 * 1024

# extension -> (content type, accepted leading bytes)
ALLOWED = {
    "pdf": ("application/pdf", (b"%PDF-",)),
    "jpg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "jpeg": ("image/jpeg", (b"\xff\xd8\xff",)),
    "png": ("image/png", (b"\x89PNG\r\n\x1a\n",)),
}
# Video inspection recordings (远程勘验): their own types and a bigger limit,
# the one place both are set (the web app's request limit follows it).
VIDEO_MAX_BYTES = 500 * 1024 * 1024
VIDEO_ALLOWED = {
    # ISO base media: a box size (4 bytes), then "ftyp".
    "mp4": ("video/mp4", ((4, b"ftyp"),)),
    "webm": ("video/webm", (b"\x1a\x45\xdf\xa3",)),  # EBML header
}
KINDS = {"document": (ALLOWED, ("PDF、JPG 或 PNG", "PDF, JPG or PNG")),
         "video": (VIDEO_ALLOWED, ("MP4 或 WebM", "MP4 or WebM"))}


def _matches(head: bytes, magic) -> bool:
    offset, expected = magic if isinstance(magic, tuple) else (0, magic)
    return head[offset:offset + len(expected)] == expected


class UploadRefused(ValueError):
    """A clear reason, in Chinese and English, shown to the uploader."""

    def __init__(self, zh: str, en: str):
        super().__init__(en)
        self.zh, self.en = zh, en


@dataclass(frozen=True)
class Blob:
    sha256: str
    size: int
    content_type: str
    filename: str


def clean_filename(name: str) -> str:
    """Only for display and download headers; storage goes by hash."""
    name = unicodedata.normalize("NFC", os.path.basename((name or "").replace("\\", "/"))).strip()
    name = "".join(c for c in name if c.isprintable() and c not in '"<>|:*?')
    return name[:200] or "file"


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


class FileStore:
    def __init__(self, root: str | Path, max_bytes: int = MAX_BYTES, video_max_bytes: int = VIDEO_MAX_BYTES):
        self.root = Path(root)
        self.max_bytes = max_bytes
        self.video_max_bytes = video_max_bytes

    def path_of(self, sha256: str) -> Path:
        if len(sha256) != 64 or any(c not in "0123456789abcdef" for c in sha256):
            raise ValueError("not a sha256 hex digest")
        return self.root / sha256[:2] / sha256

    def save(self, stream: BinaryIO, filename: str, kind: str = "document") -> Blob:
        """Check and store the bytes; raise UploadRefused with the reason.
        `kind`: "document" (PDF, JPG, PNG) or "video" (MP4, WebM, larger)."""
        name = clean_filename(filename)
        ext = extension_of(name)
        allowed, (names_zh, names_en) = KINDS[kind]
        max_bytes = self.video_max_bytes if kind == "video" else self.max_bytes
        if ext not in allowed:
            raise UploadRefused(f"不支持的文件类型“{ext or '无扩展名'}”，请上传 {names_zh}",
                                f"file type {ext or '(none)'!r} is not accepted: upload {names_en}")
        content_type, magics = allowed[ext]
        self.root.mkdir(parents=True, exist_ok=True)
        digest, size, head = hashlib.sha256(), 0, b""
        with tempfile.NamedTemporaryFile(dir=self.root, delete=False) as tmp:
            try:
                while chunk := stream.read(CHUNK):
                    if len(head) < 16:
                        head += chunk[:16]
                    size += len(chunk)
                    if size > max_bytes:
                        raise UploadRefused(f"文件超过 {max_bytes // (1024 * 1024)} MB 上限",
                                            f"the file is larger than {max_bytes // (1024 * 1024)} MB")
                    digest.update(chunk)
                    tmp.write(chunk)
                if size == 0:
                    raise UploadRefused("文件是空的", "the file is empty")
                if not any(_matches(head, m) for m in magics):
                    raise UploadRefused(f"文件内容与扩展名 .{ext} 不符", f"the content is not a .{ext} file")
            except BaseException:
                os.unlink(tmp.name)
                raise
        sha = digest.hexdigest()
        target = self.path_of(sha)
        target.parent.mkdir(exist_ok=True)
        os.replace(tmp.name, target)  # same bytes if it already existed
        return Blob(sha, size, content_type, name)

    def record(self, session, blob: Blob, owner_id: int, purpose: str, case_id: int | None = None) -> StoredFile:
        row = StoredFile(owner_id=owner_id, case_id=case_id, purpose=purpose, filename=blob.filename,
                         content_type=blob.content_type, size=blob.size, sha256=blob.sha256)
        session.add(row)
        session.flush()
        return row

    def open(self, row: StoredFile) -> BinaryIO:
        return open(self.path_of(row.sha256), "rb")
