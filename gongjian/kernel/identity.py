"""Validation, normalisation and masking of Chinese personal identifiers.

Covers the 18-character resident identity number (GB 11643-1999) and
mainland mobile numbers. Pure Python: no Django settings needed at import.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Literal

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

__all__ = [
    "ID_CHECK_CHARS",
    "ID_WEIGHTS",
    "PROVINCE_PREFIXES",
    "IdCardInfo",
    "generate_id_number",
    "id_check_char",
    "mask_id_number",
    "mask_mobile",
    "mask_name",
    "normalize_id_number",
    "normalize_mobile",
    "validate_id_number",
    "validate_mobile",
]

Gender = Literal["F", "M"]

#: ISO 7064 MOD 11-2 weights for the first 17 digits (GB 11643-1999).
ID_WEIGHTS: tuple[int, ...] = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
#: Check character indexed by (weighted sum mod 11).
ID_CHECK_CHARS = "10X98765432"

#: First two digits of GB/T 2260 province-level codes, plus 81/82 (HK/Macao).
#: Abolished county codes are deliberately NOT checked: people keep their number.
PROVINCE_PREFIXES: frozenset[str] = frozenset(
    {
        *(str(n) for n in range(11, 16)),
        *(str(n) for n in range(21, 24)),
        *(str(n) for n in range(31, 38)),
        *(str(n) for n in range(41, 47)),
        *(str(n) for n in range(50, 55)),
        *(str(n) for n in range(61, 66)),
        "71",
        "81",
        "82",
    }
)

MIN_BIRTH_DATE = date(1900, 1, 1)

# ASCII-only patterns: ``\d`` would also match e.g. Arabic-Indic digits.
_ID_RE = re.compile(r"[0-9]{17}[0-9X]", re.ASCII)
_DIGITS17_RE = re.compile(r"[0-9]{17}", re.ASCII)
_REGION_RE = re.compile(r"[0-9]{6}", re.ASCII)
_MOBILE_RE = re.compile(r"1[3-9][0-9]{9}", re.ASCII)

# Full-width digits U+FF10..U+FF19 -> ASCII; full-width X/x -> "X".
_FULLWIDTH_ID = {0xFF10 + i: str(i) for i in range(10)} | {0xFF38: "X", 0xFF58: "X"}
_FULLWIDTH_MOBILE = {0xFF10 + i: str(i) for i in range(10)} | {0xFF0B: "+"}
# Dash-like separators removed from phone numbers.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212\ufe63\uff0d"

MSG_ID_LENGTH = _("身份证号码应为18位")
MSG_ID_FORMAT = _("身份证号码格式不正确")
MSG_ID_BIRTH = _("身份证号码中的出生日期无效")
MSG_ID_REGION = _("身份证号码的地区码无效")
MSG_ID_CHECKSUM = _("身份证号码校验位错误")
MSG_MOBILE = _("手机号码格式不正确")


@dataclass(frozen=True, slots=True)
class IdCardInfo:
    """Facts decoded from a valid identity number."""

    number: str
    birth_date: date
    gender: Gender
    region_code: str


def _strip_spaces(raw: str) -> str:
    """Remove all Unicode whitespace (incl. U+3000 ideographic space)."""
    return "".join(raw.split())


def normalize_id_number(raw: str) -> str:
    """Strip spaces, map full-width digits/X to ASCII and upper-case a trailing x."""
    value = _strip_spaces(raw).translate(_FULLWIDTH_ID)
    if value.endswith("x"):
        value = value[:-1] + "X"
    return value


def id_check_char(first17: str) -> str:
    """Return the GB 11643 check character for 17 ASCII digits."""
    if not isinstance(first17, str) or not _DIGITS17_RE.fullmatch(first17):
        raise ValueError("first17 must be exactly 17 ASCII digits")
    total = sum(int(d) * w for d, w in zip(first17, ID_WEIGHTS, strict=True))
    return ID_CHECK_CHARS[total % 11]


def _parse_birth(digits: str) -> date | None:
    """Parse YYYYMMDD (ASCII digits) into a date, or None if impossible."""
    try:
        return date(int(digits[0:4]), int(digits[4:6]), int(digits[6:8]))
    except ValueError:
        return None


def validate_id_number(value: str, *, today: date | None = None) -> IdCardInfo:
    """Validate an 18-character identity number and decode it.

    Checks, in order: length, format, region, birth date, checksum.
    """
    if not isinstance(value, str):
        raise ValidationError(MSG_ID_FORMAT, code="id_format")
    number = normalize_id_number(value)
    if len(number) != 18:
        raise ValidationError(MSG_ID_LENGTH, code="id_length")
    if not _ID_RE.fullmatch(number):
        raise ValidationError(MSG_ID_FORMAT, code="id_format")

    region_code = number[:6]
    if region_code[:2] not in PROVINCE_PREFIXES:
        raise ValidationError(MSG_ID_REGION, code="id_region")

    birth = _parse_birth(number[6:14])
    limit = today if today is not None else date.today()
    if birth is None or birth < MIN_BIRTH_DATE or birth > limit:
        raise ValidationError(MSG_ID_BIRTH, code="id_birth")

    if id_check_char(number[:17]) != number[17]:
        raise ValidationError(MSG_ID_CHECKSUM, code="id_checksum")

    gender: Gender = "M" if int(number[16]) % 2 else "F"
    return IdCardInfo(number=number, birth_date=birth, gender=gender, region_code=region_code)


def normalize_mobile(raw: str) -> str:
    """Remove spaces/dashes, map full-width digits and drop a +86/0086/86 prefix."""
    value = _strip_spaces(raw).translate(_FULLWIDTH_MOBILE)
    value = "".join(ch for ch in value if ch not in _DASHES)
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    return value


def validate_mobile(value: str) -> str:
    """Return the normalised 11-digit mainland mobile number or raise ValidationError."""
    if not isinstance(value, str):
        raise ValidationError(MSG_MOBILE, code="mobile")
    number = normalize_mobile(value)
    if not _MOBILE_RE.fullmatch(number):
        raise ValidationError(MSG_MOBILE, code="mobile")
    return number


def _mask_middle(value: str, keep_head: int, keep_tail: int) -> str:
    """Keep head/tail characters and star the rest; fully star values too short."""
    if len(value) <= keep_head + keep_tail:
        return "*" * len(value)
    return value[:keep_head] + "*" * (len(value) - keep_head - keep_tail) + value[-keep_tail:]


def mask_id_number(v: str | None) -> str:
    """Mask an identity number as first 4 + stars + last 4 (18 chars -> 10 stars)."""
    if not v:
        return ""
    return _mask_middle(normalize_id_number(v), 4, 4)


def mask_mobile(v: str | None) -> str:
    """Mask a mobile number as first 3 + stars + last 4 ("138****8000")."""
    if not v:
        return ""
    return _mask_middle(normalize_mobile(v), 3, 4)


def mask_name(v: str | None) -> str:
    """Keep the first character of a name and star the rest ("张三" -> "张*")."""
    if not v:
        return ""
    name = v.strip()
    return name[:1] + "*" * (len(name) - 1) if name else ""


_ID_LIKE = re.compile(r"\d{17}[\dXx]|\d{15}")
_MOBILE_LIKE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")


def mask_personal_numbers(text: str) -> str:
    """Mask every run that looks like an identity number or a mobile inside free text typed where a
    name was expected (a failed login's account name, L-06), leaving the rest as typed."""
    text = _ID_LIKE.sub(lambda m: _mask_middle(m.group(0), 4, 4), text)
    return _MOBILE_LIKE.sub(lambda m: _mask_middle(m.group(0), 3, 4), text)


def generate_id_number(region_code: str, birth: date, gender: str, seq: int) -> str:
    """Build a checksum-valid identity number for demo/test data.

    ``seq`` (0-499) selects the 3-digit order code ``seq*2 + (1 if male)``.
    """
    if not isinstance(region_code, str) or not _REGION_RE.fullmatch(region_code):
        raise ValueError("region_code must be 6 ASCII digits")
    if gender not in ("F", "M"):
        raise ValueError("gender must be 'F' or 'M'")
    if not 0 <= seq <= 499:
        raise ValueError("seq must be in 0..499")
    if not 1000 <= birth.year <= 9999:
        raise ValueError("birth year must have 4 digits")
    order = seq * 2 + (1 if gender == "M" else 0)
    first17 = f"{region_code}{birth.year:04d}{birth.month:02d}{birth.day:02d}{order:03d}"
    return first17 + id_check_char(first17)
