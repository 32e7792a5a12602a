"""Fill a JSON-schema form with plausible, valid values.

`answer(schema, fixed)` keeps the fixed values (say `decision='correct'`)
and fills every field that is required, including those that an `if/then`
rule makes required once the fixed values are in. Identifiers get correct
check digits, so the engine's own validation accepts them."""
from __future__ import annotations

import math
import random
from datetime import date, datetime, timezone

import rstr

from ..identity import id_card_check_char, uscc_check_char
from ..workcalendar import BEIJING

USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def make_id_card(rng: random.Random) -> str:
    birth = date(1960 + rng.randrange(40), 1 + rng.randrange(12), 1 + rng.randrange(28))
    first17 = f"420103{birth:%Y%m%d}{rng.randrange(1000):03d}"
    return first17 + id_card_check_char(first17)


def make_uscc(rng: random.Random) -> str:
    first17 = "91420103" + "".join(rng.choice(USCC_ALPHABET) for _ in range(9))
    return first17 + uscc_check_char(first17)


def _string(name: str, prop: dict, rng: random.Random, now: datetime | None = None):
    fmt = prop.get("format")
    if fmt == "cn-id-card":
        return make_id_card(rng)
    if fmt == "cn-uscc":
        return make_uscc(rng)
    if fmt == "cn-mobile":
        return f"13{rng.randrange(10**9):09d}"
    now = now or datetime.now(timezone.utc)
    if fmt == "date":
        return now.astimezone(BEIJING).date().isoformat()
    if fmt == "date-time":
        return now.isoformat(timespec="seconds")
    if fmt == "email":
        return "applicant@example.cn"
    if prop.get("pattern"):
        return rstr.Rstr(rng).xeger(prop["pattern"])
    text = f"{prop.get('title', name)}-{rng.randrange(10000):04d}"
    limit = prop.get("maxLength")
    return text[:limit] if limit else text


def value_for(name: str, prop: dict, rng: random.Random, now: datetime | None = None):
    if "const" in prop:
        return prop["const"]
    if "enum" in prop:
        return rng.choice(prop["enum"])
    kind = prop.get("type")
    if isinstance(kind, list):
        kind = next(k for k in kind if k != "null")
    if kind == "string":
        return _string(name, prop, rng, now)
    if kind in ("integer", "number"):
        low = prop.get("minimum", prop.get("exclusiveMinimum", 0) + (1 if kind == "integer" else 0.5))
        high = min(prop.get("maximum", low + 100), max(low, 1) * 10_000)
        # Log-uniform: every order of magnitude as likely, so thresholds
        # such as 50 m² or 150 m² fall on both sides.
        value = math.exp(rng.uniform(math.log(max(low, 1)), math.log(max(high, 1)))) if high > max(low, 1) else low
        value = min(max(value, low), high)
        return int(value) if kind == "integer" else round(value, 1)
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "array":
        items = prop.get("items", {})
        count = max(1, prop.get("minItems", 1))
        if "enum" in items:
            return rng.sample(items["enum"], min(count, len(items["enum"])))
        return [value_for(name, items, rng, now) for _ in range(count)]
    if kind == "object":
        return {key: value_for(key, sub, rng, now) for key, sub in prop.get("properties", {}).items()
                if key in prop.get("required", [])}
    return None


def _matches(condition: dict, data: dict) -> bool:
    for key in condition.get("required", []):
        if key not in data:
            return False
    for key, rule in condition.get("properties", {}).items():
        if key not in data:
            continue
        value = data[key]
        if "const" in rule and value != rule["const"]:
            return False
        if "enum" in rule and value not in rule["enum"]:
            return False
    return True


def _active_branches(schema: dict, data: dict) -> list[dict]:
    """The `then` (or `else`) parts of the if/then rules that apply now."""
    branches = []
    for rule in schema.get("allOf", []):
        if "if" not in rule:
            continue
        branch = rule.get("then") if _matches(rule["if"], data) else rule.get("else")
        if branch:
            branches.append(branch)
    return branches


def required_fields(schema: dict, data: dict) -> list[str]:
    """Required now, given the values already chosen."""
    fields = list(schema.get("required", []))
    for branch in _active_branches(schema, data):
        fields += branch.get("required", [])
    return fields


def effective_property(schema: dict, data: dict, name: str) -> dict:
    """A field's rules with what the applying if/then rules add (a format
    that holds only for one ID type, say)."""
    prop = dict(schema.get("properties", {}).get(name, {}))
    for branch in _active_branches(schema, data):
        prop.update(branch.get("properties", {}).get(name, {}))
    return prop


def answer(schema: dict, fixed: dict | None = None, rng: random.Random | None = None,
           optional_rate: float = 0.0, staff: list[str] | None = None, now: datetime | None = None) -> dict:
    """`optional_rate`: the share of optional fields also filled (a
    simulation sets it so that optional answers, such as asking for a remote
    inspection, take their paths too). `staff`: usernames of the task's
    department for "x-widget": "staff" fields (engine/task_checks.py);
    uploaded files ("x-widget": "recording") and what the server computes
    ("x-widget": "computed") are never made up. `now`: the moment dates
    and times are answered for (a simulation's clock; default the wall
    clock)."""
    rng = rng or random.Random(0)
    data = dict(fixed or {})
    properties = schema.get("properties", {})
    for name, prop in properties.items():
        if prop.get("x-widget") == "staff" and name not in data and staff:
            data[name] = list(staff[:max(prop.get("minItems", 1), 2)])
    for name in properties:
        if properties[name].get("x-widget") in ("recording", "computed"):
            continue
        if name not in data and optional_rate and rng.random() < optional_rate:
            data[name] = value_for(name, effective_property(schema, data, name), rng, now)
    for _ in range(10):  # a filled field may trigger another rule; settle
        missing = [f for f in required_fields(schema, data) if f not in data and f in properties]
        if not missing:
            break
        for name in missing:
            data[name] = value_for(name, effective_property(schema, data, name), rng, now)
    # A value chosen before a rule applied may break what the rule now adds.
    for name in list(data):
        if name not in (fixed or {}) and name in properties:
            prop = effective_property(schema, data, name)
            if prop != properties[name]:
                data[name] = value_for(name, prop, rng, now)
    return data
