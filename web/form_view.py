"""Helpers the form templates use."""
from __future__ import annotations


def values_of(values: dict, dotted: str):
    """The value at `premises_address.district` in nested form values, or ''."""
    current = values
    for part in dotted.split("."):
        if not isinstance(current, dict) or part not in current:
            return ""
        current = current[part]
    return "" if current is None else current


def posted(form) -> dict:
    """A werkzeug MultiDict as FormSchema.coerce wants it, without the CSRF
    token and the page's own hidden fields."""
    raw = form.to_dict(flat=False)
    for key in ("csrf_token", "seen_version", "action"):
        raw.pop(key, None)
    return raw
