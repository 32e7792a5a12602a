"""Every message in the code and templates has its English translation."""
from __future__ import annotations

import subprocess
import sys

from babel.messages.pofile import read_po

from .conftest import ROOT


def test_every_message_is_translated(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg", "-k", "_l",
                    "-k", "N_", "--no-location", "-o", str(pot), "."], cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as handle:
        wanted = {m.id for m in read_po(handle) if m.id}
    with (ROOT / "web/translations/en/LC_MESSAGES/messages.po").open("rb") as handle:
        translated = {m.id: m.string for m in read_po(handle, locale="en") if m.id}
    missing = sorted(m for m in wanted if not translated.get(m))
    assert missing == [], f"untranslated: {missing} (see web/translations/README.md)"
