"""Browser tests' tools: a live server on a free port in a thread, a
Chromium driven by Playwright (Debian's /usr/bin/chromium, never a
downloaded browser), and a form filler that fills any OneWindow form from
a dict the way a person would (typing, choosing, ticking)."""
from __future__ import annotations

import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("CHROMIUM", shutil.which("chromium") or "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]


def require_browser():
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        pytest.skip("playwright is not installed (pip install -e '.[test]')")
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no Chromium at {CHROMIUM} (Debian: apt-get install chromium; .ci/run does)")


class LiveServer:
    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.thread.join(timeout=10)


def sign_in(page, base: str, username: str, password: str = "onewindow-demo") -> None:
    page.goto(base + "/auth/login")
    page.fill("#username", username)
    page.fill("#password", password)
    page.click("input[type=submit]")
    page.wait_for_url(lambda url: "/auth/login" not in url)


def fill_form(page, fields: list[dict], data: dict, prefix: str = "") -> None:
    """Fill the fields rendered from FormSchema.fields() with `data`."""
    for field in fields:
        name, widget = field["name"], field["widget"]
        key = name[len(prefix):] if prefix else name
        if widget == "group":
            fill_form(page, field["fields"], data.get(key) or {}, name + ".")
            continue
        if key not in data or data[key] is None or widget == "computed":
            continue
        if widget == "checklist":
            for item in field["fields"]:
                outcome = (data[key] or {}).get(item["name"].rsplit(".", 1)[-1])
                if outcome:
                    page.check(f"input[name='{item['name']}'][value='{outcome}']")
            continue
        value = data[key]
        selector = f"[name='{name}']"
        if widget == "checkbox":
            page.set_checked(selector, bool(value))
        elif widget == "select":
            page.select_option(selector, str(value))
        elif widget == "recording":
            if isinstance(value, dict):  # {"name", "mimeType", "buffer"}: a file to upload
                page.set_input_files(selector, value)
        elif widget in ("checkboxes", "staff"):
            for option in value:
                page.check(f"input[name='{name}'][value='{option}']")
        elif widget == "list":
            boxes = page.locator(selector)
            for i, item in enumerate(value[:boxes.count()]):
                boxes.nth(i).fill(str(item))
        elif widget == "datetime":
            page.fill(selector, str(value)[:16])  # datetime-local: YYYY-MM-DDTHH:MM
        else:
            page.fill(selector, str(value))


def shot(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


@contextmanager
def live_browser(request, tmp_path, **config):
    """(base URL, browser, app): the app on a fresh SQLite copy of the test
    database, served on a thread, with a Chromium to drive it."""
    require_browser()
    from playwright.sync_api import sync_playwright

    from tests.conftest import make_database
    from web import create_app
    from web.extensions import limiter

    db = make_database("sqlite", request, tmp_path)
    app = create_app({"TESTING": False, "DATABASE_URL": db.url, "SECRET_KEY": "browser-test", **config})
    limiter.reset()
    try:
        with LiveServer(app) as server, sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            yield server.url, browser, app
            browser.close()
    finally:
        db.dispose()
