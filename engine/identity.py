"""Chinese identifiers: resident ID card, unified social credit code, mobile.

Validators return bool and never raise on bad input (forms call them on
whatever the browser sent). The ``*_check_char`` helpers compute the check
character so tests and demo data can build valid values.

Lower-case input is accepted (people type ``x`` for the ID card's ``X``);
callers that store the value should keep ``value.upper()``.
"""
from __future__ import annotations

import datetime as _dt
import re

# GB 11643-1999: weights are 2**(17-i) mod 11 for i = 0..16.
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
# [0-9], not \d: \d also matches full-width and other Unicode digits.
_ID_RE = re.compile(r"[1-9][0-9]{16}[0-9X]")

# GB 32100-2015: 31 characters, no I O S V Z.
_USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# Position 1: registration authority, 2: entity type (both from the alphabet),
# 3-8: administrative division code (digits), 9-17: organisation code, 18: check.
_USCC_RE = re.compile(r"[0-9A-HJ-NPQRTUWXY]{2}[0-9]{6}[0-9A-HJ-NPQRTUWXY]{10}")

_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}")


def id_card_check_char(first17: str) -> str:
    """Check character for the first 17 digits of a resident ID card number."""
    if not re.fullmatch(r"[0-9]{17}", first17 or ""):
        raise ValueError("need exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK[total % 11]


def id_card_birth_date(value: str) -> _dt.date | None:
    """Birth date encoded in digits 7-14, or None when it is not a real date."""
    try:
        return _dt.datetime.strptime(value[6:14], "%Y%m%d").date()
    except (ValueError, TypeError):
        return None


def is_valid_id_card(value: object, today: _dt.date | None = None) -> bool:
    """18-digit resident ID card number (GB 11643) with a correct check char,
    a real birth date from 1900 on and not after ``today``."""
    if not isinstance(value, str):
        return False
    value = value.upper()
    if not _ID_RE.fullmatch(value):
        return False
    born = id_card_birth_date(value)
    if born is None or born.year < 1900 or born > (today or _dt.date.today()):
        return False
    return id_card_check_char(value[:17]) == value[17]


def uscc_check_char(first17: str) -> str:
    """Check character for the first 17 characters of a unified social credit code."""
    first17 = (first17 or "").upper()
    if len(first17) != 17 or any(c not in _USCC_ALPHABET for c in first17):
        raise ValueError("need exactly 17 characters of the USCC alphabet")
    total = sum(_USCC_ALPHABET.index(c) * w for c, w in zip(first17, _USCC_WEIGHTS))
    return _USCC_ALPHABET[(31 - total % 31) % 31]  # 31 -> 0


def is_valid_uscc(value: object) -> bool:
    """18-character unified social credit code (GB 32100-2015) with a correct check char."""
    if not isinstance(value, str):
        return False
    value = value.upper()
    if not _USCC_RE.fullmatch(value):
        return False
    return uscc_check_char(value[:17]) == value[17]


def is_valid_mobile(value: object) -> bool:
    """Mainland mobile number: 11 digits, 1[3-9]xxxxxxxxx, no prefix or spaces."""
    return isinstance(value, str) and _MOBILE_RE.fullmatch(value) is not None
