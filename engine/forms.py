"""Form definitions (JSON Schema draft 2020-12) and validation of submitted data.

A form is a JSON Schema object with OneWindow's extensions (see
docs/process-authoring.md): ``x-title-en``, ``x-enum-titles``, ``x-widget``,
``x-order``. ``FormSchema`` checks the definition, turns browser posts into
typed values (``coerce``), validates them with bilingual messages per field
(``validate``) and describes the fields for rendering (``fields``).

Field names in errors and in ``coerce`` input are dotted paths for nested
objects (``premises_address.district``); errors about array items land on
the array field. Errors that belong to no field use the key ``FORM_ERROR``.
"""
from __future__ import annotations

import datetime as _dt
import json
import math
import re
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from jsonschema.exceptions import SchemaError, best_match

from . import identity

FORM_ERROR = "_form"
_SCHEMA_URI = "https://json-schema.org/draft/2020-12/schema"


class FormDefinitionError(Exception):
    """The form definition itself is wrong (a designer's error, found at deploy)."""

    def __init__(self, path, message):
        self.path = str(path) if path else None
        self.message = message
        super().__init__(f"{self.path}: {message}" if self.path else message)


# --------------------------------------------------------------------------
# Formats. Each checker returns a reason (zh, en) when the value is wrong, so
# the message can say *what* is wrong; non-strings pass (the "type" keyword
# reports those).


def _id_card_problem(v):
    if not re.fullmatch(r"[0-9]{17}[0-9Xx]", v):
        return "身份证号码应为18位数字（最后一位可为X）", "ID card number must be 18 digits (the last may be X)"
    if not identity.is_valid_id_card(v[:17] + identity.id_card_check_char(v[:17])):
        return ("身份证号码中的地区码或出生日期不正确",
                "The region code or birth date in the ID card number is not valid")
    if not identity.is_valid_id_card(v):
        return "身份证号码校验位不正确", "ID card number check digit is wrong"
    return None


def _uscc_problem(v):
    alphabet = "0123456789ABCDEFGHJKLMNPQRTUWXY"
    if len(v) != 18 or any(c not in alphabet for c in v.upper()) or not v[2:8].isdigit():
        return ("统一社会信用代码应为18位数字或大写字母（不含I、O、S、V、Z）",
                "Unified social credit code must be 18 digits or capital letters (no I, O, S, V, Z)")
    if not identity.is_valid_uscc(v):
        return "统一社会信用代码校验位不正确", "Unified social credit code check character is wrong"
    return None


def _mobile_problem(v):
    if not identity.is_valid_mobile(v):
        return "手机号码应为以1开头的11位数字", "Mobile number must be 11 digits starting with 1"
    return None


def _date_problem(v):
    try:
        # fromisoformat alone also takes 20240501; forms want YYYY-MM-DD.
        if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", v):
            _dt.date.fromisoformat(v)
            return None
    except ValueError:
        pass
    return "日期应为有效的 YYYY-MM-DD", "Date must be a valid YYYY-MM-DD"


def _datetime_problem(v):
    # RFC 3339 wants a time zone; <input type="datetime-local"> sends none,
    # so a local time is accepted too.
    if re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]+)?)?"
                    r"(Z|[+-][0-9]{2}:[0-9]{2})?", v):
        try:
            _dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
            return None
        except ValueError:
            pass
    return "日期时间格式不正确（YYYY-MM-DDTHH:MM）", "Date and time must be YYYY-MM-DDTHH:MM"


def _email_problem(v):
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s.]+", v):
        return None
    return "电子邮箱格式不正确", "Not a valid email address"


FORMATS = {
    "cn-id-card": _id_card_problem,
    "cn-uscc": _uscc_problem,
    "cn-mobile": _mobile_problem,
    "date": _date_problem,
    "date-time": _datetime_problem,
    "email": _email_problem,
}

FORMAT_CHECKER = FormatChecker(formats=())
for _name, _problem in FORMATS.items():
    FORMAT_CHECKER.checks(_name)(lambda v, _p=_problem: not isinstance(v, str) or _p(v) is None)


# --------------------------------------------------------------------------
# Messages

_TYPE_NAMES = {
    "string": ("文本", "text"), "integer": ("整数", "a whole number"),
    "number": ("数字", "a number"), "boolean": ("是或否", "yes or no"),
    "array": ("列表", "a list"), "object": ("一组字段", "a group of fields"),
    "null": ("空值", "empty"),
}


def _message(error):
    """(zh, en) for one jsonschema error."""
    kw, val = error.validator, error.validator_value
    if kw == "type":
        types = val if isinstance(val, list) else [val]
        zh = "或".join(_TYPE_NAMES.get(t, (t, t))[0] for t in types)
        en = " or ".join(_TYPE_NAMES.get(t, (t, t))[1] for t in types)
        return f"应为{zh}", f"Must be {en}"
    if kw == "format":
        check = FORMATS.get(val)
        problem = check(error.instance) if check and isinstance(error.instance, str) else None
        return problem or ("格式不正确", "Has the wrong format")
    table = {
        "required": ("此项为必填项", "This field is required"),
        "dependentRequired": ("此项为必填项", "This field is required"),
        "enum": ("请从列表中选择", "Choose one of the listed options"),
        "const": ("取值不符合要求", "This value is not allowed here"),
        "pattern": ("格式不正确", "Has the wrong format"),
        "minimum": (f"不能小于 {val}", f"Must be at least {val}"),
        "maximum": (f"不能大于 {val}", f"Must be at most {val}"),
        "exclusiveMinimum": (f"必须大于 {val}", f"Must be greater than {val}"),
        "exclusiveMaximum": (f"必须小于 {val}", f"Must be less than {val}"),
        "multipleOf": (f"应为 {val} 的倍数", f"Must be a multiple of {val}"),
        "minLength": (f"至少 {val} 个字符", f"Must be at least {val} characters"),
        "maxLength": (f"最多 {val} 个字符", f"Must be at most {val} characters"),
        "minItems": (f"至少选择或填写 {val} 项", f"Give at least {val}"),
        "maxItems": (f"最多选择或填写 {val} 项", f"Give at most {val}"),
        "uniqueItems": ("不能有重复项", "Must not contain duplicates"),
    }
    return table.get(kw, ("填写内容不符合要求", "This value is not valid"))


def _field_name(path):
    """Dotted name of the property path; array indexes end it (the error
    belongs to the array field)."""
    names = []
    for part in path:
        if isinstance(part, int):
            break
        names.append(part)
    return ".".join(names)


# --------------------------------------------------------------------------
# Coercion of browser posts

_INT_RE = re.compile(r"[+-]?[0-9]+")
_NUMBER_RE = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_TRUE = {"on", "true", "1", "yes"}
_FALSE = {"off", "false", "0", "no"}


class _CoerceError(Exception):
    pass


def _main_type(schema):
    t = schema.get("type")
    if isinstance(t, list):
        t = next((x for x in t if x != "null"), None)
    if t is None and "enum" in schema and schema["enum"]:
        t = {bool: "boolean", int: "integer", float: "number"}.get(type(schema["enum"][0]), "string")
    return t or "string"


def _coerce_scalar(text, schema):
    t = _main_type(schema)
    if t == "integer":
        if not _INT_RE.fullmatch(text):
            raise _CoerceError("请输入整数", "Enter a whole number")
        return int(text)
    if t == "number":
        if not _NUMBER_RE.fullmatch(text):
            raise _CoerceError("请输入数字", "Enter a number")
        number = float(text)
        if not math.isfinite(number):
            raise _CoerceError("请输入数字", "Enter a number")
        return int(number) if _INT_RE.fullmatch(text) else number
    if t == "boolean":
        low = text.lower()
        if low in _TRUE:
            return True
        if low in _FALSE:
            return False
        raise _CoerceError("请选择是或否", "Choose yes or no")
    return text


# --------------------------------------------------------------------------


class FormSchema:
    """A checked form definition."""

    def __init__(self, schema, path=None):
        self.path = str(path) if path else None
        if not isinstance(schema, dict):
            raise FormDefinitionError(self.path, "a form schema must be a JSON object")
        declared = schema.get("$schema")
        if declared is not None and declared.rstrip("#") != _SCHEMA_URI:
            raise FormDefinitionError(self.path, f"$schema must be {_SCHEMA_URI}, not {declared}")
        try:
            Draft202012Validator.check_schema(schema)
        except SchemaError as exc:
            where = "/".join(str(p) for p in exc.absolute_path) or "(top level)"
            raise FormDefinitionError(self.path, f"invalid schema at {where}: {exc.message}") from None
        if schema.get("type") != "object":
            raise FormDefinitionError(self.path, 'a form schema must have "type": "object"')
        self.schema = schema
        self._check_extensions(schema, "")
        self._validator = Draft202012Validator(schema, format_checker=FORMAT_CHECKER)

    @classmethod
    def load(cls, path):
        path = Path(path)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, ValueError) as exc:
            raise FormDefinitionError(path, f"cannot read form: {exc}") from None
        return cls.from_text(text, path)

    @classmethod
    def from_text(cls, text, path=None):
        """A form file's text; bad JSON is a FormDefinitionError that says where."""
        try:
            schema = json.loads(text)
        except json.JSONDecodeError as exc:
            raise FormDefinitionError(path, f"invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}") \
                from None
        return cls(schema, path)

    @property
    def title(self):
        return {"zh": self.schema.get("title", ""), "en": self.schema.get("x-title-en", self.schema.get("title", ""))}

    # -- validation

    def validate(self, data):
        """(clean, errors): clean is data without unknown or read-only fields;
        errors maps a field name to {"zh": ..., "en": ...}."""
        if not isinstance(data, dict):
            return {}, {FORM_ERROR: {"zh": "提交的数据应为一组字段", "en": "The submitted data must be a set of fields"}}
        clean = self._strip(self.schema, data)
        errors = {}
        for error in self._validator.iter_errors(clean):
            while error.context:  # anyOf/oneOf: report the most relevant branch error
                error = best_match(error.context)
            zh, en = _message(error)
            base = _field_name(error.absolute_path)
            if error.validator in ("required", "dependentRequired") and isinstance(error.instance, dict):
                wanted = error.validator_value
                if isinstance(wanted, dict):
                    wanted = [n for deps in wanted.values() for n in deps]
                names = [f"{base}.{n}" if base else n for n in wanted if n not in error.instance]
            else:
                names = [base or FORM_ERROR]
            for name in names:
                errors.setdefault(name, {"zh": zh, "en": en})
        return clean, errors

    def _strip(self, schema, value):
        """Drop properties the schema does not declare (unless it allows
        additional ones explicitly) and read-only ones, at every level."""
        if isinstance(value, list):
            items = schema.get("items")
            return [self._strip(items, v) for v in value] if isinstance(items, dict) else value
        if not isinstance(value, dict):
            return value
        props = self._properties(schema)
        if not props and "additionalProperties" not in schema and "patternProperties" not in schema:
            return value  # not described as an object with fields: leave as is
        extra = schema.get("additionalProperties")
        patterns = [re.compile(p) for p in schema.get("patternProperties", {})]
        out = {}
        for key, v in value.items():
            sub = props.get(key)
            if sub is not None:
                if not sub.get("readOnly"):
                    out[key] = self._strip(sub, v)
            elif extra is True or isinstance(extra, dict) or any(p.search(key) for p in patterns):
                out[key] = v
        return out

    def _resolve(self, schema):
        ref = schema.get("$ref") if isinstance(schema, dict) else None
        if isinstance(ref, str) and ref.startswith("#/"):
            target = self.schema
            for part in ref[2:].split("/"):
                target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
            return target
        return schema

    def _properties(self, schema):
        """Properties declared at this level, including in allOf/anyOf/oneOf
        and if/then/else branches (a field may be declared only there)."""
        schema = self._resolve(schema)
        props = {}
        for name, sub in (schema.get("properties") or {}).items():
            props[name] = self._resolve(sub) if isinstance(sub, dict) else {}
        for key in ("allOf", "anyOf", "oneOf"):
            for branch in schema.get(key, []):
                for name, sub in self._properties(branch).items():
                    props.setdefault(name, sub)
        for key in ("then", "else"):
            if isinstance(schema.get(key), dict):
                for name, sub in self._properties(schema[key]).items():
                    props.setdefault(name, sub)
        return props

    # -- browser posts

    def coerce(self, raw):
        """(values, errors) from an HTML post: {name: str or [str]} (a
        werkzeug MultiDict should be passed as ``md.to_dict(flat=False)``).

        Empty strings are missing; integer/number/boolean text becomes typed;
        multi-valued fields become arrays; nested fields are posted as
        ``parent.child``. A value that cannot be converted stays as its text
        (so the form can be shown again) and gets an error. Booleans whose
        widget is a checkbox are False when absent (browsers omit unchecked
        boxes).
        """
        values, errors = {}, {}
        self._coerce_into(self.schema, _flatten(raw or {}), "", values, errors)
        return values, errors

    def validate_form(self, raw):
        """coerce + validate: (clean, errors, values); coercion errors win."""
        values, coerce_errors = self.coerce(raw)
        clean, errors = self.validate(values)
        errors.update(coerce_errors)
        return clean, errors, values

    def _coerce_into(self, schema, raw, prefix, out, errors):
        for name, sub in self._properties(schema).items():
            full = f"{prefix}{name}"
            t = _main_type(sub)
            if t == "object":
                child = {}
                self._coerce_into(sub, raw, f"{full}.", child, errors)
                if child:
                    out[name] = child
                continue
            if full not in raw:
                if t == "boolean" and _widget(sub) == "checkbox":
                    out[name] = False
                continue
            value = raw[full]
            texts = value if isinstance(value, list) else [value]
            texts = [t_.strip() if isinstance(t_, str) else t_ for t_ in texts]
            texts = [t_ for t_ in texts if t_ not in ("", None)]
            if t == "array":
                items = self._resolve(sub.get("items") or {})
                converted = []
                for text in texts:
                    try:
                        converted.append(_coerce_scalar(text, items) if isinstance(text, str) else text)
                    except _CoerceError as exc:
                        errors.setdefault(full, dict(zip(("zh", "en"), exc.args)))
                        converted.append(text)
                if converted:
                    out[name] = converted
                continue
            if not texts:
                if t == "boolean" and _widget(sub) == "checkbox":
                    out[name] = False
                continue
            text = texts[-1]  # a checkbox with a hidden fallback posts two values
            try:
                out[name] = _coerce_scalar(text, sub) if isinstance(text, str) else text
            except _CoerceError as exc:
                out[name] = text
                errors[full] = dict(zip(("zh", "en"), exc.args))

    # -- rendering

    def fields(self):
        """Ordered field descriptions for rendering (see ``_describe``)."""
        return self._fields(self.schema, "")

    def _fields(self, schema, prefix):
        schema = self._resolve(schema)
        props = self._properties(schema)
        required = set(schema.get("required", []))
        order = [n for n in schema.get("x-order", []) if n in props]
        order += [n for n in props if n not in order]
        return [self._describe(name, props[name], name in required, prefix) for name in order]

    def _describe(self, name, sub, required, prefix):
        t = _main_type(sub)
        titles = sub.get("x-enum-titles") or {}
        items = self._resolve(sub.get("items") or {}) if t == "array" else {}
        enum = items.get("enum") if t == "array" else sub.get("enum")
        titles = titles or items.get("x-enum-titles") or {}
        field = {
            "name": prefix + name,
            "type": t,
            "title": {"zh": sub.get("title", name), "en": sub.get("x-title-en", sub.get("title", name))},
            "description": sub.get("description", ""),
            "required": required,
            "widget": _widget(sub, items),
            "format": sub.get("format"),
            "default": sub.get("default"),
            "read_only": bool(sub.get("readOnly")),
            "options": [
                {"value": v, "zh": (titles.get(str(v)) or [str(v)])[0],
                 "en": (titles.get(str(v)) or [str(v), str(v)])[-1]}
                for v in (enum or [])
            ],
            "schema": sub,
        }
        if t == "object":
            field["fields"] = self._fields(sub, f"{prefix}{name}.")
        return field

    # -- definition checks beyond the meta-schema

    def _check_extensions(self, schema, where):
        for name, sub in (schema.get("properties") or {}).items():
            if not isinstance(sub, dict):
                continue
            here = f"{where}{name}"
            for value, labels in (sub.get("x-enum-titles") or {}).items():
                if not (isinstance(labels, list) and len(labels) == 2 and all(isinstance(x, str) for x in labels)):
                    raise FormDefinitionError(self.path, f"{here}: x-enum-titles[{value!r}] must be [zh, en]")
            if "x-title-en" in sub and not isinstance(sub["x-title-en"], str):
                raise FormDefinitionError(self.path, f"{here}: x-title-en must be text")
            if sub.get("type") == "object":
                self._check_extensions(sub, here + ".")
        order = schema.get("x-order", [])
        if not isinstance(order, list):
            raise FormDefinitionError(self.path, f"{where}x-order must be a list of field names")
        unknown = [n for n in order if n not in self._properties(schema)]
        if unknown:
            raise FormDefinitionError(self.path, f"{where}x-order names unknown fields: {', '.join(map(str, unknown))}")


def _flatten(raw, prefix=""):
    """{'a': {'b': '1'}} -> {'a.b': '1'}: nested dicts post like dotted names."""
    flat = {}
    for key, value in raw.items():
        if isinstance(value, dict):
            flat.update(_flatten(value, f"{prefix}{key}."))
        else:
            flat[f"{prefix}{key}"] = value
    return flat


def _widget(schema, items=None):
    if schema.get("x-widget"):
        return schema["x-widget"]
    t = _main_type(schema)
    if t == "boolean":
        return "checkbox"
    if t == "array":
        return "checkboxes" if (items or {}).get("enum") else "list"
    if t == "object":
        return "group"
    if "enum" in schema:
        return "select"
    if t in ("integer", "number"):
        return "number"
    return {"date": "date", "date-time": "datetime", "email": "email"}.get(schema.get("format"), "text")


# Widgets the form templates draw (web/templates/forms/_fields.html); any
# other x-widget silently becomes a text box.
WIDGETS = frozenset({"text", "textarea", "number", "date", "datetime", "email", "select", "checkbox",
                     "checkboxes", "list", "group", "staff", "recording", "computed", "checklist"})


def unsupported(form):
    """What the engine accepts but ignores, so a designer is not surprised:
    unknown x-widget values and string formats nobody checks."""
    notes = []

    def visit(fields):
        for field in fields:
            widget = field["schema"].get("x-widget")
            if widget is not None and widget not in WIDGETS:
                notes.append(f"{field['name']}: x-widget {widget!r} is not one of {', '.join(sorted(WIDGETS))}; "
                             "it is shown as a text box")
            fmt = field["format"]
            if fmt is not None and fmt not in FORMATS:
                notes.append(f"{field['name']}: format {fmt!r} is not checked (checked: {', '.join(FORMATS)})")
            visit(field.get("fields") or [])

    visit(form.fields())
    return notes


# --------------------------------------------------------------------------
# camunda:formData


_CAMUNDA_TYPES = {"string": "string", "long": "integer", "boolean": "boolean", "date": "string", "enum": "string"}


def from_camunda_form(form):
    """FormSchema from SpiffWorkflow's camunda ``Form`` (camunda:formData).

    Labels carry one language, so they serve as both titles. Constraints
    required, minlength, maxlength, min, max and readonly are kept; dates are
    ISO ``YYYY-MM-DD`` (format date). Unknown field types become strings.
    """
    properties, required = {}, []
    for field in form.fields:
        kind = field.type or "string"
        prop = {"type": _CAMUNDA_TYPES.get(kind, "string")}
        label = field.label or field.id
        prop["title"] = label
        prop["x-title-en"] = label
        if kind == "date":
            prop["format"] = "date"
            prop["x-widget"] = "date"
        if kind == "enum":
            options = getattr(field, "options", [])
            prop["enum"] = [o.id for o in options]
            prop["x-enum-titles"] = {o.id: [o.name or o.id, o.name or o.id] for o in options}
        # FormField.has_validation() is False for constraints without config
        # (<camunda:constraint name="required"/>), so look at names directly.
        for v in field.validation:
            name, config = (v.name or "").lower(), v.config
            if name == "required":
                required.append(field.id)
            elif name == "readonly":
                prop["readOnly"] = True
            elif name in ("minlength", "maxlength") and _is_int_text(config):
                prop["minLength" if name == "minlength" else "maxLength"] = int(config)
            elif name in ("min", "max") and prop["type"] == "integer" and _is_int_text(config):
                prop["minimum" if name == "min" else "maximum"] = int(config)
        default = _camunda_default(field.default_value, prop)
        if default is not None:
            prop["default"] = default
        properties[field.id] = prop
    schema = {
        "$schema": _SCHEMA_URI,
        "title": form.key or "",
        "type": "object",
        "properties": properties,
        "x-order": list(properties),
    }
    if required:
        schema["required"] = required
    return FormSchema(schema, path=f"camunda:formData {form.key}" if form.key else None)


def _is_int_text(text):
    return text is not None and _INT_RE.fullmatch(str(text).strip()) is not None


def _camunda_default(text, prop):
    if text in (None, "") or "${" in str(text):  # expressions are not defaults we can use
        return None
    try:
        return _coerce_scalar(str(text), prop)
    except _CoerceError:
        return None
