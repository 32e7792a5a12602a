"""A throwaway SQLite database for running cases that must not touch the
real one (a draft's simulation in the studio). The schema is migrated and
the departments and demo users seeded once per process into a template
file; each use gets a copy of it in a temporary folder, removed afterwards."""
from __future__ import annotations

import atexit
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

from models import Database
from models.migrate import upgrade

from ..seeding import seed_demo_users, seed_departments

_template: Path | None = None
_lock = threading.Lock()


def _prepare_template() -> Path:
    global _template
    with _lock:
        if _template is None or not _template.exists():
            folder = Path(tempfile.mkdtemp(prefix="onewindow-scratch-template-"))
            atexit.register(shutil.rmtree, folder, True)
            path = folder / "template.sqlite"
            url = f"sqlite:///{path}"
            upgrade(url)
            db = Database(url)
            try:
                with db.write() as session:
                    seed_departments(session)
                    seed_demo_users(session)
            finally:
                db.dispose()  # checkpoints the WAL: the file alone is the database
            _template = path
        return _template


@contextmanager
def scratch_database() -> Iterator[Database]:
    template = _prepare_template()
    with tempfile.TemporaryDirectory(prefix="onewindow-scratch-") as folder:
        path = Path(folder) / "scratch.sqlite"
        shutil.copyfile(template, path)
        db = Database(f"sqlite:///{path}")
        try:
            yield db
        finally:
            db.dispose()
