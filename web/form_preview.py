"""A JSON-schema form file's text drawn exactly as the clerk sees it (the
studio's form editor previews it as the designer types): the same
FormSchema checks as a deployment, the same field templates as the task
and intake pages."""
from __future__ import annotations

from dataclasses import dataclass, field

from flask import render_template

from engine.forms import FormDefinitionError, FormSchema, unsupported


@dataclass
class FormPreview:
    html: str = ""  # empty when the text is not a valid form
    errors: list[str] = field(default_factory=list)  # why it would not deploy
    warnings: list[str] = field(default_factory=list)  # accepted, but probably not what was meant

    def as_dict(self) -> dict:
        return {"ok": not self.errors, "html": self.html, "errors": self.errors, "warnings": self.warnings}


def preview_form(text: str, lang: str) -> FormPreview:
    """Needs a request context (the templates translate with it)."""
    try:
        form = FormSchema.from_text(text)
    except FormDefinitionError as exc:
        return FormPreview(errors=[exc.message])
    html = render_template("forms/_preview.html", form=form, fields=form.fields(), values={}, lang=lang)
    return FormPreview(html=html, warnings=unsupported(form))
