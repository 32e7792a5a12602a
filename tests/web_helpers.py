"""Signing in and posting forms as a browser does, for the page tests.
The `app` fixture (a fresh app on the test database) is in conftest.py."""
from __future__ import annotations

import re

from werkzeug.datastructures import MultiDict

from engine.demo_data import DEMO_PASSWORD


def signed_in(app, username, password: str = DEMO_PASSWORD):
    client = app.test_client()
    page = client.get("/auth/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', page).group(1)
    response = client.post("/auth/login", data={"username": username, "password": password,
                                                "csrf_token": token})
    assert response.status_code == 302, username
    return client


def token_of(html: str) -> str:
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def as_form(data: dict, prefix: str = "") -> MultiDict:
    """Form data as a browser posts it: nested fields as parent.child,
    lists as repeated fields, false checkboxes absent."""
    out = MultiDict()
    for key, value in data.items():
        name = prefix + key
        if isinstance(value, dict):
            for k, v in as_form(value, name + ".").items(multi=True):
                out.add(k, v)
        elif isinstance(value, list):
            for item in value:
                out.add(name, str(item))
        elif value is True:
            out.add(name, "true")
        elif value is False or value is None:
            continue
        else:
            out.add(name, str(value))
    return out
