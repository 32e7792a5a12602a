"""What the window's intake form is prefilled with for a known applicant (a
checked-in appointment, a completed on-site visit): the person's name, ID
card number and phone, and a company's credit code and name, among the
fields the form has. One place, so every way into the intake fills the
same fields the same way."""
from __future__ import annotations

from models import User


def applicant_fields(applicant: User, properties: dict, phone: str = "") -> dict:
    """A person is the applicant (or, on company forms, the legal
    representative-to-be); a company's agent is the agent who comes."""
    values: dict = {}
    # A company agent's display name reads "李四（某公司 经办人）": the person is before the bracket.
    person = {"name": applicant.display_name.split("（")[0], "id_no": applicant.id_number,
              "mobile": phone or applicant.phone}
    roles = ("agent",) if applicant.is_company else ("applicant", "legal_rep", "agent")
    role = next((r for r in roles if f"{r}_name" in properties), None)
    for field, value in person.items():
        key = f"{role}_{field}"
        if role and key in properties and value:
            values[key] = value
    if role == "agent" and "has_agent" in properties:
        values["has_agent"] = True
    if applicant.is_company:
        for key, value in (("uscc", applicant.uscc), ("company_name", applicant.company_name)):
            if key in properties and value:
                values[key] = value
        if "has_company" in properties:
            values["has_company"] = True
    return {key: value for key, value in values.items() if fits(properties[key], value)}


def fits(schema: dict, value) -> bool:
    """Only values the field accepts (an enum without the value gets none)."""
    return "enum" not in schema or value in schema["enum"]
