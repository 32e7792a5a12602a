"""Conformance: every BPMN file written elsewhere (shared/corpus) is either
accepted -- and then deployed, and a case of it starts and runs to its first
wait state -- or refused with clear `file:element: message` lines. Never a
traceback, never a hang."""
from __future__ import annotations

from pathlib import Path

import pytest

from engine.deployment import deploy_paths, validate_paths
from engine.problems import ProcessFileError
from engine.runtime.errors import ProcessFailure

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus"
FILES = sorted(CORPUS.rglob("*.bpmn")) if CORPUS.is_dir() else []

pytestmark = pytest.mark.skipif(not FILES, reason=f"no corpus at {CORPUS} (shared/ is beside the clone in CI)")


def _assert_clear(problems, path: Path) -> None:
    for problem in problems:
        assert problem.file, f"{path}: a problem without a file: {problem}"
        assert problem.message.strip(), f"{path}: a problem without a message: {problem}"
        assert "Traceback" not in problem.message
        assert len(str(problem)) < 2000


@pytest.mark.parametrize("path", FILES, ids=lambda p: str(p.relative_to(CORPUS)))
def test_corpus_file_is_accepted_or_refused_clearly(path, sqlite_template, tmp_path, request):
    from tests.conftest import make_database
    from engine.runtime.service import Runtime

    bundles, problems = validate_paths([path])
    _assert_clear(problems, path)
    db = make_database("sqlite", request, tmp_path)
    try:
        with db.write() as session:
            try:
                deployed = deploy_paths(session, [path])
            except ProcessFileError as exc:
                assert problems, f"validate accepted {path.name} but deploy refused it: {exc}"
                _assert_clear(exc.problems, path)
                return
        assert not problems, f"validate refused {path.name} but deploy accepted it"
        runtime = Runtime(db)
        try:
            result = runtime.start_case(deployed[0].key, None, "clerk")
        except ProcessFailure as exc:
            # A process that needs data its author's test supplied: refused at
            # start with a message naming the element, never a traceback.
            assert exc.message.strip() and "Traceback" not in exc.message
            return
        assert result.status in ("running", "completed")
    finally:
        db.dispose()
