"""The studio's form preview: a form file's text drawn with the same
templates as the clerk's pages, or every reason it would not deploy."""
from __future__ import annotations

import json
import re

from tests.conftest import PROCESSES
from tests.web_helpers import signed_in
from web.form_preview import preview_form

INTAKE = PROCESSES / "restaurant" / "forms" / "restaurant_intake.json"


def _fields_of(html: str) -> str:
    """The drawn fields, without the preview's frame and title."""
    inner = re.search(r'<div class="case-form form-preview">(.*)</div>\s*$', html, re.S).group(1)
    return re.sub(r"^\s*<h3>.*?</h3>", "", inner, flags=re.S).strip()


def test_the_preview_is_the_clerks_form(app):
    text = INTAKE.read_text(encoding="utf-8")
    with app.test_request_context():
        preview = preview_form(text, "zh")
    assert preview.errors == [] and preview.warnings == []
    page = signed_in(app, "clerk").get("/window/start/restaurant").get_data(as_text=True)
    assert _fields_of(preview.html) and _fields_of(preview.html) in page
    assert "<h3>开办餐馆 一表申请</h3>" in preview.html


def test_english_labels_and_an_edited_label(app):
    schema = json.loads(INTAKE.read_text(encoding="utf-8"))
    name = next(iter(schema["properties"]))
    schema["properties"][name]["title"] = "改过的标签"
    schema["properties"][name]["x-title-en"] = "Edited label"
    with app.test_request_context():
        zh = preview_form(json.dumps(schema, ensure_ascii=False), "zh")
        en = preview_form(json.dumps(schema, ensure_ascii=False), "en")
    assert f'data-field="{name}"' in zh.html and "改过的标签" in zh.html
    assert "Edited label" in en.html and "改过的标签" not in en.html


def test_invalid_json_says_where(app):
    with app.test_request_context():
        preview = preview_form('{"type": "object",\n  "properties": {,}}', "zh")
    assert preview.html == "" and preview.as_dict()["ok"] is False
    assert preview.errors == ["invalid JSON at line 2, column 18: Expecting property name enclosed in double quotes"]


def test_invalid_schema_is_refused_as_a_deployment_would(app):
    cases = {
        '{"type": "object", "properties": {"a": {"type": "text"}}}': "invalid schema at properties/a/type",
        '{"type": "array"}': '"type": "object"',
        '{"type": "object", "properties": {"a": {}}, "x-order": ["b"]}': "unknown fields: b",
        '[1, 2]': "JSON object",
    }
    with app.test_request_context():
        for text, words in cases.items():
            preview = preview_form(text, "zh")
            assert preview.html == "" and len(preview.errors) == 1 and words in preview.errors[0], text


def test_what_is_accepted_but_ignored_is_a_warning(app):
    schema = {"type": "object", "properties": {
        "a": {"type": "string", "title": "甲", "x-widget": "slider"},
        "b": {"type": "object", "properties": {"c": {"type": "string", "format": "zip-code"}}}}}
    with app.test_request_context():
        preview = preview_form(json.dumps(schema), "zh")
    assert preview.errors == [] and 'data-field="a"' in preview.html
    assert len(preview.warnings) == 2
    assert preview.warnings[0].startswith("a: x-widget 'slider'") and preview.warnings[1].startswith("b.c: format 'zip-code'")
