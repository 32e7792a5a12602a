"""Uploads: the content must match the declared type, a size limit holds,
bytes are stored once by hash, and a file is served only to its owner or to
someone who may see its case."""
from __future__ import annotations

import io

import pytest
from sqlalchemy import select

from engine.file_store import FileStore, UploadRefused, clean_filename
from models import User
from tests.web_helpers import signed_in

PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 32


def test_content_must_match_the_extension_and_the_limit(tmp_path):
    store = FileStore(tmp_path, max_bytes=1024)
    blob = store.save(io.BytesIO(PDF), "营业执照.pdf")
    assert (blob.content_type, blob.size, blob.filename) == ("application/pdf", len(PDF), "营业执照.pdf")
    assert store.path_of(blob.sha256).read_bytes() == PDF
    assert store.save(io.BytesIO(PDF), "copy.PDF").sha256 == blob.sha256  # stored once
    with pytest.raises(UploadRefused, match="not a .pdf"):
        store.save(io.BytesIO(b"MZ\x90\x00 an executable"), "invoice.pdf")
    with pytest.raises(UploadRefused, match="not accepted"):
        store.save(io.BytesIO(PDF), "script.exe")
    with pytest.raises(UploadRefused, match="larger than"):
        store.save(io.BytesIO(PDF + b"x" * 2048), "big.pdf")
    with pytest.raises(UploadRefused, match="empty"):
        store.save(io.BytesIO(b""), "empty.png")
    assert sorted(p.name for p in tmp_path.rglob("*") if p.is_file()) == [blob.sha256]  # nothing partial left


def test_names_from_the_browser_never_become_paths():
    assert clean_filename("../../etc/passwd") == "passwd"
    assert clean_filename('C:\\Users\\a\\照片"1".png') == "照片1.png"
    assert clean_filename("") == "file"


def test_only_the_owner_or_who_sees_the_case_downloads(app, db, runtime, intake):
    store = app.extensions["onewindow.files"]
    with db.read() as session:
        applicant = session.scalar(select(User.id).where(User.username == "applicant"))
    case = runtime.start_case("restaurant", intake, "clerk", applicant_id=applicant)
    with db.write() as session:
        loose = store.record(session, store.save(io.BytesIO(PNG), "photo.png"), applicant, "test").id
        on_case = store.record(session, store.save(io.BytesIO(PDF), "lease.pdf"), applicant, "material:lease",
                               case_id=case.case_id).id
    owner = signed_in(app, "applicant")
    response = owner.get(f"/files/{loose}")
    assert response.status_code == 200 and response.data == PNG
    assert "attachment" in response.headers["Content-Disposition"]
    assert signed_in(app, "company").get(f"/files/{on_case}").status_code == 404
    assert signed_in(app, "company").get(f"/files/{loose}").status_code == 404
    assert signed_in(app, "clerk").get(f"/files/{on_case}").data == PDF  # the window sees the case
    assert signed_in(app, "clerk").get(f"/files/{loose}").status_code == 404  # no case: owner only
    assert signed_in(app, "rev_gjj").get(f"/files/{on_case}").status_code == 404  # not its case
    assert app.test_client().get(f"/files/{on_case}").status_code == 302  # sign in first
