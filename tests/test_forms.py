import json

import pytest
from SpiffWorkflow.camunda.specs.user_task import EnumFormField, Form, FormField

from engine.forms import FORM_ERROR, FormDefinitionError, FormSchema, from_camunda_form
from engine.identity import id_card_check_char, uscc_check_char

GOOD_ID = "11010519491231002X"
GOOD_USCC = "91350100M000100Y43"

SCHEMA = {
    "$schema": "https://json-schema.org/draft/2020-12/schema",
    "title": "测试表", "x-title-en": "Test form",
    "type": "object",
    "required": ["decision", "area_m2"],
    "properties": {
        "decision": {"type": "string", "title": "结论", "x-title-en": "Decision",
                     "enum": ["approve", "reject"],
                     "x-enum-titles": {"approve": ["准予", "Approve"], "reject": ["不予", "Reject"]}},
        "licence_no": {"type": "string", "title": "证号", "maxLength": 8, "pattern": "^[A-Z0-9]+$"},
        "name": {"type": "string", "title": "名称", "minLength": 2},
        "area_m2": {"type": "number", "title": "面积", "exclusiveMinimum": 0, "maximum": 1000},
        "floors": {"type": "integer", "title": "层数", "minimum": 1},
        "id_no": {"type": "string", "format": "cn-id-card"},
        "uscc": {"type": "string", "format": "cn-uscc"},
        "mobile": {"type": "string", "format": "cn-mobile"},
        "opened_on": {"type": "string", "format": "date"},
        "appointment_at": {"type": "string", "format": "date-time"},
        "email": {"type": "string", "format": "email"},
        "open_late": {"type": "boolean", "title": "夜间营业", "x-title-en": "Open late"},
        "foods": {"type": "array", "uniqueItems": True, "minItems": 1,
                  "items": {"type": "string", "enum": ["hot", "cold"]},
                  "x-enum-titles": {"hot": ["热食", "Hot food"], "cold": ["冷食", "Cold food"]}},
        "address": {"type": "object", "title": "地址", "required": ["road"],
                    "properties": {"road": {"type": "string", "title": "路"},
                                   "number": {"type": "integer"}},
                    "x-order": ["number", "road"]},
    },
    "x-order": ["area_m2", "decision"],
    "allOf": [
        {"if": {"properties": {"decision": {"const": "approve"}}, "required": ["decision"]},
         "then": {"required": ["licence_no"]}},
    ],
}


@pytest.fixture
def form():
    return FormSchema(SCHEMA)


def errors_of(form, data):
    return form.validate({"decision": "reject", "area_m2": 10, **data})[1]


def test_valid_data_passes(form):
    data = {"decision": "approve", "licence_no": "AB12", "area_m2": 80, "floors": 2,
            "id_no": GOOD_ID, "uscc": GOOD_USCC, "mobile": "13800138000", "opened_on": "2024-05-01",
            "appointment_at": "2024-05-01T09:30", "email": "a@b.cn", "open_late": False,
            "foods": ["hot"], "address": {"road": "解放大道", "number": 1}}
    clean, errors = form.validate(data)
    assert errors == {}
    assert clean == data


@pytest.mark.parametrize("data,field,zh,en", [
    ({"decision": "maybe"}, "decision", "请从列表中选择", "Choose one of the listed options"),
    ({"area_m2": "big"}, "area_m2", "应为数字", "Must be a number"),
    ({"floors": 1.5}, "floors", "应为整数", "Must be a whole number"),
    ({"floors": 0}, "floors", "不能小于 1", "Must be at least 1"),
    ({"area_m2": 0}, "area_m2", "必须大于 0", "Must be greater than 0"),
    ({"area_m2": 5000}, "area_m2", "不能大于 1000", "Must be at most 1000"),
    ({"name": "x"}, "name", "至少 2 个字符", "Must be at least 2 characters"),
    ({"licence_no": "ABCDEFGHIJ"}, "licence_no", "最多 8 个字符", "Must be at most 8 characters"),
    ({"licence_no": "ab-1"}, "licence_no", "格式不正确", "Has the wrong format"),
    ({"id_no": "110105194912310021"}, "id_no", "身份证号码校验位不正确", "ID card number check digit is wrong"),
    ({"id_no": "1101051949"}, "id_no", "身份证号码应为18位数字（最后一位可为X）",
     "ID card number must be 18 digits (the last may be X)"),
    ({"id_no": "110105194902300027"}, "id_no", "身份证号码中的地区码或出生日期不正确",
     "The region code or birth date in the ID card number is not valid"),
    ({"uscc": "91350100M000100Y44"}, "uscc", "统一社会信用代码校验位不正确",
     "Unified social credit code check character is wrong"),
    ({"mobile": "12345"}, "mobile", "手机号码应为以1开头的11位数字", "Mobile number must be 11 digits starting with 1"),
    ({"opened_on": "2024-02-30"}, "opened_on", "日期应为有效的 YYYY-MM-DD", "Date must be a valid YYYY-MM-DD"),
    ({"opened_on": "20240501"}, "opened_on", "日期应为有效的 YYYY-MM-DD", "Date must be a valid YYYY-MM-DD"),
    ({"appointment_at": "tomorrow"}, "appointment_at", "日期时间格式不正确（YYYY-MM-DDTHH:MM）",
     "Date and time must be YYYY-MM-DDTHH:MM"),
    ({"email": "nobody"}, "email", "电子邮箱格式不正确", "Not a valid email address"),
    ({"open_late": "yes"}, "open_late", "应为是或否", "Must be yes or no"),
    ({"foods": []}, "foods", "至少选择或填写 1 项", "Give at least 1"),
    ({"foods": ["hot", "hot"]}, "foods", "不能有重复项", "Must not contain duplicates"),
    ({"foods": ["warm"]}, "foods", "请从列表中选择", "Choose one of the listed options"),
    ({"address": {"number": 1}}, "address.road", "此项为必填项", "This field is required"),
    ({"address": {"road": "r", "number": "one"}}, "address.number", "应为整数", "Must be a whole number"),
])
def test_each_kind_of_error_in_both_languages(form, data, field, zh, en):
    errors = errors_of(form, data)
    assert errors == {field: {"zh": zh, "en": en}}


def test_required_missing(form):
    clean, errors = form.validate({})
    assert errors == {"decision": {"zh": "此项为必填项", "en": "This field is required"},
                      "area_m2": {"zh": "此项为必填项", "en": "This field is required"}}


def test_conditional_requirement_via_if_then(form):
    assert errors_of(form, {"decision": "approve"}) == {
        "licence_no": {"zh": "此项为必填项", "en": "This field is required"}}
    assert errors_of(form, {"decision": "approve", "licence_no": "A1"}) == {}
    assert errors_of(form, {"decision": "reject"}) == {}


def test_conditional_format_lands_on_field():
    schema = {"type": "object", "properties": {"kind": {"type": "string"}, "no": {"type": "string"}},
              "allOf": [{"if": {"properties": {"kind": {"const": "resident_id"}}, "required": ["kind"]},
                         "then": {"properties": {"no": {"format": "cn-id-card"}}}}]}
    form = FormSchema(schema)
    assert form.validate({"kind": "passport", "no": "E1234567"})[1] == {}
    assert form.validate({"kind": "resident_id", "no": "E1234567"})[1]["no"]["en"].startswith("ID card number")


def test_unknown_fields_are_dropped(form):
    clean, errors = form.validate({"decision": "reject", "area_m2": 10, "is_admin": True,
                                   "address": {"road": "r", "evil": "x"}})
    assert errors == {}
    assert clean == {"decision": "reject", "area_m2": 10, "address": {"road": "r"}}


def test_additional_properties_kept_only_when_allowed():
    base = {"type": "object", "properties": {"a": {"type": "string"}}}
    assert FormSchema(base).validate({"a": "x", "b": 1})[0] == {"a": "x"}
    assert FormSchema({**base, "additionalProperties": False}).validate({"a": "x", "b": 1}) == ({"a": "x"}, {})
    assert FormSchema({**base, "additionalProperties": True}).validate({"a": "x", "b": 1})[0] == {"a": "x", "b": 1}
    typed = FormSchema({**base, "additionalProperties": {"type": "integer"}})
    assert typed.validate({"a": "x", "b": "no"})[1] == {"b": {"zh": "应为整数", "en": "Must be a whole number"}}


def test_not_an_object_is_a_form_error(form):
    assert FORM_ERROR in form.validate(["x"])[1]


def test_coerce_html_strings(form):
    raw = {"decision": "approve", "licence_no": " AB12 ", "area_m2": "80.5", "floors": "3",
           "open_late": "on", "foods": ["hot", "cold"], "name": "", "address.road": "解放大道",
           "address.number": "12", "csrf_token": "zzz"}
    values, errors = form.coerce(raw)
    assert errors == {}
    assert values == {"decision": "approve", "licence_no": "AB12", "area_m2": 80.5, "floors": 3,
                      "open_late": True, "foods": ["hot", "cold"],
                      "address": {"road": "解放大道", "number": 12}}


@pytest.mark.parametrize("text,expected", [("on", True), ("true", True), ("1", True),
                                           ("false", False), ("0", False), (["false", "on"], True)])
def test_coerce_booleans(form, text, expected):
    assert form.coerce({"open_late": text})[0]["open_late"] is expected


def test_coerce_unchecked_checkbox_is_false_and_empty_string_is_missing(form):
    values, errors = form.coerce({"area_m2": "", "foods": [""]})
    assert values == {"open_late": False}
    assert errors == {}


def test_coerce_keeps_raw_text_on_failure(form):
    values, errors = form.coerce({"area_m2": "八十", "floors": "2.5", "open_late": "maybe"})
    assert values["area_m2"] == "八十" and values["floors"] == "2.5" and values["open_late"] == "maybe"
    assert errors["area_m2"] == {"zh": "请输入数字", "en": "Enter a number"}
    assert errors["floors"] == {"zh": "请输入整数", "en": "Enter a whole number"}
    assert errors["open_late"] == {"zh": "请选择是或否", "en": "Choose yes or no"}


def test_validate_form_combines_coercion_and_validation(form):
    clean, errors, values = form.validate_form({"decision": "approve", "area_m2": "abc"})
    assert errors["area_m2"]["en"] == "Enter a number"
    assert errors["licence_no"]["en"] == "This field is required"
    assert values["area_m2"] == "abc"


def test_fields_order_and_labels(form):
    fields = form.fields()
    names = [f["name"] for f in fields]
    assert names[:2] == ["area_m2", "decision"]  # x-order first
    assert names[2:5] == ["licence_no", "name", "floors"]  # then document order
    decision = fields[1]
    assert decision["title"] == {"zh": "结论", "en": "Decision"}
    assert decision["required"] is True and decision["widget"] == "select"
    assert decision["options"] == [{"value": "approve", "zh": "准予", "en": "Approve"},
                                   {"value": "reject", "zh": "不予", "en": "Reject"}]
    by_name = {f["name"]: f for f in fields}
    assert by_name["name"]["title"] == {"zh": "名称", "en": "名称"}  # no x-title-en: falls back
    assert by_name["foods"]["widget"] == "checkboxes"
    assert by_name["foods"]["options"][0] == {"value": "hot", "zh": "热食", "en": "Hot food"}
    assert by_name["open_late"]["widget"] == "checkbox"
    assert by_name["opened_on"]["widget"] == "date"
    assert [f["name"] for f in by_name["address"]["fields"]] == ["address.number", "address.road"]
    assert by_name["address"]["fields"][1]["required"] is True


@pytest.mark.parametrize("schema,words", [
    ({"type": "object", "properties": {"a": {"type": "text"}}}, "invalid schema at properties/a/type"),
    ({"type": "object", "properties": {"a": {"type": "string", "minLength": -1}}}, "invalid schema"),
    ({"type": "object", "properties": {"a": {"type": "string", "pattern": "("}}}, "invalid schema"),
    ({"type": "array"}, '"type": "object"'),
    ({"$schema": "http://json-schema.org/draft-07/schema#", "type": "object"}, "$schema must be"),
    ({"type": "object", "properties": {"a": {"enum": ["x"], "x-enum-titles": {"x": "X"}}}}, "[zh, en]"),
    ({"type": "object", "properties": {"a": {}}, "x-order": ["a", "b"]}, "unknown fields: b"),
    (["not", "a", "dict"], "JSON object"),
])
def test_invalid_schema_gives_form_definition_error(schema, words):
    with pytest.raises(FormDefinitionError) as info:
        FormSchema(schema)
    assert words in str(info.value)


def test_load_reads_and_checks_file(tmp_path):
    good = tmp_path / "approval.json"
    good.write_text(json.dumps(SCHEMA, ensure_ascii=False), encoding="utf-8")
    assert FormSchema.load(good).title == {"zh": "测试表", "en": "Test form"}
    bad = tmp_path / "bad.json"
    bad.write_text('{"type": "object", "properties": {"a": {"type": 5}}}', encoding="utf-8")
    with pytest.raises(FormDefinitionError) as info:
        FormSchema.load(bad)
    assert info.value.path == str(bad) and str(bad) in str(info.value)
    broken = tmp_path / "broken.json"
    broken.write_text('{"type": "object",\n "properties": }', encoding="utf-8")
    with pytest.raises(FormDefinitionError, match="invalid JSON at line 2, column 16"):
        FormSchema.load(broken)


def test_from_camunda_form():
    form = Form()
    form.key = "inspection"
    name = FormField("string")
    name.id, name.label, name.default_value = "inspector", "Inspector", ""
    name.add_validation("required", None)
    name.add_validation("minlength", "2")
    name.add_validation("maxlength", "20")
    count = FormField("long")
    count.id, count.label, count.default_value = "count", "Count", "3"
    count.add_validation("min", "1")
    count.add_validation("max", "10")
    ok = FormField("boolean")
    ok.id, ok.label, ok.default_value = "passed", "Passed", "true"
    day = FormField("date")
    day.id, day.label, day.default_value = "day", "Day", None
    ref = FormField("string")
    ref.id, ref.label, ref.default_value = "ref", "Reference", "${caseRef}"
    ref.add_validation("readonly", None)
    result = EnumFormField()
    result.id, result.label, result.default_value = "result", "Result", "pass"
    result.add_option("pass", "Pass")
    result.add_option("fail", "Fail")
    for f in (name, count, ok, day, ref, result):
        form.add_field(f)

    schema = from_camunda_form(form)
    assert isinstance(schema, FormSchema)
    props = schema.schema["properties"]
    assert schema.schema["required"] == ["inspector"]
    assert props["inspector"] == {"type": "string", "title": "Inspector", "x-title-en": "Inspector",
                                  "minLength": 2, "maxLength": 20}
    assert props["count"] == {"type": "integer", "title": "Count", "x-title-en": "Count",
                              "minimum": 1, "maximum": 10, "default": 3}
    assert props["passed"]["default"] is True
    assert props["day"]["format"] == "date"
    assert props["ref"]["readOnly"] is True and "default" not in props["ref"]
    assert props["result"]["enum"] == ["pass", "fail"]
    assert props["result"]["default"] == "pass"
    assert [f["name"] for f in schema.fields()] == ["inspector", "count", "passed", "day", "ref", "result"]

    clean, errors = schema.validate({"inspector": "A", "count": 11, "day": "2024-13-01",
                                     "ref": "forged", "result": "maybe"})
    assert "ref" not in clean  # read-only fields are never taken from a post
    assert set(errors) == {"inspector", "count", "day", "result"}
    assert errors["count"] == {"zh": "不能大于 10", "en": "Must be at most 10"}
    assert schema.validate({"inspector": "Ann", "count": 2, "passed": True, "day": "2024-05-01",
                            "result": "pass"}) == ({"inspector": "Ann", "count": 2, "passed": True,
                                                    "day": "2024-05-01", "result": "pass"}, {})


def test_from_camunda_form_dict_roundtrip():
    # SpiffWorkflow's serializer rebuilds forms with Form(init=dict).
    form = Form({"key": "k", "fields": [
        {"id": "size", "type": "long", "label": "Size", "default_value": "", "properties": [],
         "validation": [{"name": "required", "config": None}]}]})
    schema = from_camunda_form(form)
    assert schema.validate({})[1] == {"size": {"zh": "此项为必填项", "en": "This field is required"}}
    assert schema.coerce({"size": "7"}) == ({"size": 7}, {})


def test_project_forms_load():
    from pathlib import Path
    root = Path(__file__).resolve().parents[1] / "processes"
    for path in root.glob("**/forms/*.json"):
        FormSchema.load(path).fields()


def test_generated_identifiers_pass_formats(form):
    data = {"id_no": "42010319850315123" + id_card_check_char("42010319850315123"),
            "uscc": "91420103MA4K00001" + uscc_check_char("91420103MA4K00001")}
    assert errors_of(form, data) == {}
