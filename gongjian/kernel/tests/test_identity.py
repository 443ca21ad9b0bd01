"""Tests for gongjian.kernel.identity (ID-card numbers, mobiles, masking)."""

from __future__ import annotations

import os
from datetime import date, timedelta

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from hypothesis import assume, given
from hypothesis import strategies as st

from gongjian.kernel.identity import (
    ID_CHECK_CHARS,
    PROVINCE_PREFIXES,
    IdCardInfo,
    generate_id_number,
    id_check_char,
    mask_id_number,
    mask_mobile,
    mask_name,
    normalize_id_number,
    normalize_mobile,
    validate_id_number,
    validate_mobile,
)

# Rendering gettext_lazy messages needs settings; pytest-django (when active)
# configures them first, otherwise use a minimal non-i18n configuration.
if not settings.configured and "DJANGO_SETTINGS_MODULE" not in os.environ:
    settings.configure(USE_I18N=False)

TODAY = date(2026, 6, 1)
KNOWN_VALID = "11010519491231002X"


def _error(value: str, **kwargs: date) -> ValidationError:
    """Return the ValidationError raised by validate_id_number."""
    with pytest.raises(ValidationError) as exc:
        validate_id_number(value, **kwargs)
    return exc.value


def _reference_valid(first17: str, today: date) -> bool:
    """Independent re-statement of the region/date rules for 17 digits."""
    if first17[:2] not in {
        "11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35",
        "36", "37", "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54",
        "61", "62", "63", "64", "65", "71", "81", "82",
    }:  # fmt: skip
        return False
    try:
        born = date(int(first17[6:10]), int(first17[10:12]), int(first17[12:14]))
    except ValueError:
        return False
    return date(1900, 1, 1) <= born <= today


region_codes = st.builds(
    lambda p, rest: p + rest,
    st.sampled_from(sorted(PROVINCE_PREFIXES)),
    st.text("0123456789", min_size=4, max_size=4),
)
birth_dates = st.dates(min_value=date(1900, 1, 1), max_value=TODAY)
genders = st.sampled_from(["F", "M"])
seqs = st.integers(min_value=0, max_value=499)
valid_ids = st.builds(generate_id_number, region_codes, birth_dates, genders, seqs)


# --- known values ---------------------------------------------------------


def test_known_valid_literal() -> None:
    info = validate_id_number(KNOWN_VALID)
    assert info == IdCardInfo(
        number=KNOWN_VALID, birth_date=date(1949, 12, 31), gender="F", region_code="110105"
    )


def test_known_valid_male_literal() -> None:
    info = validate_id_number("610582199003074571")
    assert (info.birth_date, info.gender, info.region_code) == (date(1990, 3, 7), "M", "610582")


def test_generator_reproduces_literal() -> None:
    assert generate_id_number("110105", date(1949, 12, 31), "F", 1) == KNOWN_VALID


def test_check_char_helper() -> None:
    assert id_check_char(KNOWN_VALID[:17]) == "X"
    for bad in (
        "1234",
        "1101051949123100a",
        "１１０１０５１９４９１２３１００２",
        12345678901234567,
    ):
        with pytest.raises(ValueError):
            id_check_char(bad)  # type: ignore[arg-type]


def test_wrong_check_digit_message_and_code() -> None:
    err = _error(KNOWN_VALID[:17] + "1")
    assert err.code == "id_checksum"
    assert err.messages == ["身份证号码校验位错误"]
    assert str(err.message) == "身份证号码校验位错误"


def test_lowercase_x_and_fullwidth_accepted() -> None:
    assert validate_id_number("11010519491231002x").number == KNOWN_VALID
    full = "１１０１０５\u3000１９４９１２３１ ００２ｘ"
    assert normalize_id_number(full) == KNOWN_VALID
    assert validate_id_number(full).number == KNOWN_VALID
    assert validate_id_number(" 1101 0519 4912 3100 2Ｘ\n").number == KNOWN_VALID


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "id_length", "身份证号码应为18位"),
        ("110105491231002", "id_length", "身份证号码应为18位"),  # old 15-digit
        (KNOWN_VALID + "0", "id_length", "身份证号码应为18位"),
        ("11010519491231002Y", "id_format", "身份证号码格式不正确"),
        ("X1010519491231002X", "id_format", "身份证号码格式不正确"),
        ("1101051949123100X2", "id_format", "身份证号码格式不正确"),
        ("١١٠١٠٥١٩٤٩١٢٣١٠٠٢X", "id_format", "身份证号码格式不正确"),  # Arabic-Indic digits
        ("1101051949123100\u00b2X", "id_format", "身份证号码格式不正确"),  # superscript two
        ("991051194912310029", "id_region", "身份证号码的地区码无效"),
        ("001051194912310029", "id_region", "身份证号码的地区码无效"),
    ],
)
def test_rejections(value: str, code: str, message: str) -> None:
    err = _error(value)
    assert err.code == code
    assert err.messages == [message]


def test_non_string_rejected_with_validation_error() -> None:
    for bad in (None, 110105194912310029, b"11010519491231002X"):
        assert _error(bad).code == "id_format"  # type: ignore[arg-type]


@pytest.mark.parametrize("prefix", ["71", "81", "82", "65", "11"])
def test_special_province_prefixes_accepted(prefix: str) -> None:
    number = generate_id_number(prefix + "0000", date(1980, 1, 1), "F", 7)
    assert validate_id_number(number).region_code == prefix + "0000"


def test_abolished_county_code_accepted() -> None:
    # 110103 (former Chongwen district) and 510802-style codes stay valid.
    number = generate_id_number("110103", date(1960, 5, 5), "F", 3)
    assert validate_id_number(number).region_code == "110103"


@pytest.mark.parametrize(
    ("birth_digits", "ok"),
    [
        ("19000101", True),
        ("18991231", False),
        ("20000229", True),
        ("19000229", False),  # 1900 is not a leap year
        ("19901301", False),
        ("19900001", False),
        ("19900431", False),
        ("19900100", False),
        ("20260601", True),  # == TODAY
        ("20260602", False),  # future
    ],
)
def test_birth_date_rules(birth_digits: str, ok: bool) -> None:
    first17 = "110105" + birth_digits + "002"
    number = first17 + id_check_char(first17)
    if ok:
        assert validate_id_number(number, today=TODAY).birth_date.strftime("%Y%m%d") == birth_digits
    else:
        err = _error(number, today=TODAY)
        assert err.code == "id_birth"
        assert err.messages == ["身份证号码中的出生日期无效"]


def test_future_birth_rejected_against_real_today() -> None:
    tomorrow = date.today() + timedelta(days=1)
    assert _error(generate_id_number("110105", tomorrow, "F", 1)).code == "id_birth"
    validate_id_number(generate_id_number("110105", date.today(), "F", 1))


def test_gender_from_17th_digit() -> None:
    for seq in range(0, 500, 37):
        for gender in ("F", "M"):
            number = generate_id_number("320102", date(1975, 7, 1), gender, seq)
            assert validate_id_number(number).gender == gender
            assert int(number[16]) % 2 == (gender == "M")


def test_generator_rejects_bad_input() -> None:
    with pytest.raises(ValueError):
        generate_id_number("11010", date(1990, 1, 1), "F", 1)
    with pytest.raises(ValueError):
        generate_id_number("110105", date(1990, 1, 1), "X", 1)
    with pytest.raises(ValueError):
        generate_id_number("110105", date(1990, 1, 1), "F", 500)
    with pytest.raises(ValueError):
        generate_id_number("110105", date(1990, 1, 1), "F", -1)


# --- property-based --------------------------------------------------------


@given(region_codes, birth_dates, genders, seqs)
def test_generated_ids_accepted(region: str, born: date, gender: str, seq: int) -> None:
    number = generate_id_number(region, born, gender, seq)
    info = validate_id_number(number, today=TODAY)
    assert info == IdCardInfo(number=number, birth_date=born, gender=gender, region_code=region)  # type: ignore[arg-type]


first17_strategy = st.one_of(
    st.text("0123456789", min_size=17, max_size=17),
    st.builds(
        lambda region, born, order: region + born.strftime("%Y%m%d") + order,
        st.one_of(region_codes, st.text("0123456789", min_size=6, max_size=6)),
        st.dates(min_value=date(1800, 1, 1), max_value=date(2100, 12, 31)),
        st.text("0123456789", min_size=3, max_size=3),
    ),
)


@given(first17_strategy)
def test_correct_check_char_accepted_iff_region_and_date_valid(first17: str) -> None:
    number = first17 + id_check_char(first17)
    expected = _reference_valid(first17, TODAY)
    try:
        validate_id_number(number, today=TODAY)
    except ValidationError as err:
        assert not expected, number
        assert err.code in {"id_region", "id_birth"}
    else:
        assert expected, number


@given(valid_ids, st.sampled_from(ID_CHECK_CHARS))
def test_any_wrong_check_char_rejected(number: str, check: str) -> None:
    assume(check != number[17])
    err = _error(number[:17] + check, today=TODAY)
    assert err.code == "id_checksum"
    assert err.messages == ["身份证号码校验位错误"]


@given(first17_strategy, st.sampled_from(ID_CHECK_CHARS))
def test_wrong_check_char_never_accepted(first17: str, check: str) -> None:
    assume(check != id_check_char(first17))
    with pytest.raises(ValidationError):
        validate_id_number(first17 + check, today=TODAY)


@given(valid_ids, st.integers(min_value=0, max_value=16), st.integers(min_value=1, max_value=9))
def test_single_digit_error_detected(number: str, pos: int, delta: int) -> None:
    changed = str((int(number[pos]) + delta) % 10)
    with pytest.raises(ValidationError):
        validate_id_number(number[:pos] + changed + number[pos + 1 :], today=TODAY)


id_like_text = st.text(
    st.sampled_from(list("0123456789Xx ０１２３４５６７８９ｘＸ\u3000-١²\n")), max_size=25
)


@given(st.one_of(st.text(), id_like_text))
def test_random_text_only_raises_validation_error(text: str) -> None:
    try:
        info = validate_id_number(text)
    except ValidationError as err:
        assert err.code in {"id_length", "id_format", "id_region", "id_birth", "id_checksum"}
        assert err.messages and all(isinstance(m, str) for m in err.messages)
    else:
        assert len(info.number) == 18
        assert info.number[:17].isascii() and info.number[:17].isdigit()


# --- mobile ----------------------------------------------------------------


@pytest.mark.parametrize(
    "raw",
    [
        "13800138000",
        "138 0013 8000",
        "138-0013-8000",
        "+86 138 0013 8000",
        "+86-13800138000",
        "8613800138000",
        "0086 13800138000",
        "１３８００１３８０００",
        "＋８６　１３８－００１３－８０００",
    ],
)
def test_mobile_accepted(raw: str) -> None:
    assert validate_mobile(raw) == "13800138000"


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "12800138000",  # second digit must be 3-9
        "1380013800",
        "138001380001",
        "23800138000",
        "+85 13800138000",
        "861380013800",
        "1380013800a",
        "١٣٨٠٠١٣٨٠٠٠",  # Arabic-Indic digits
        "13800138000\n1",
    ],
)
def test_mobile_rejected(raw: str) -> None:
    with pytest.raises(ValidationError) as exc:
        validate_mobile(raw)
    assert exc.value.code == "mobile"
    assert exc.value.messages == ["手机号码格式不正确"]


def test_mobile_non_string() -> None:
    with pytest.raises(ValidationError):
        validate_mobile(None)  # type: ignore[arg-type]


def test_normalize_mobile() -> None:
    assert normalize_mobile(" +86 138-0013-8000 ") == "13800138000"


@given(st.text())
def test_mobile_random_text_only_validation_error(text: str) -> None:
    try:
        result = validate_mobile(text)
    except ValidationError as err:
        assert err.code == "mobile"
    else:
        assert len(result) == 11 and result.isascii() and result.isdigit()


@given(st.sampled_from("3456789"), st.text("0123456789", min_size=9, max_size=9))
def test_mobile_property(second: str, rest: str) -> None:
    number = "1" + second + rest
    assert validate_mobile(f"+86 {number[:3]} {number[3:7]}-{number[7:]}") == number


# --- masking ---------------------------------------------------------------


def test_masking_examples() -> None:
    assert mask_id_number("610582199003074571") == "6105**********4571"
    assert mask_id_number("11010519491231002x") == "1101**********002X"
    assert mask_mobile("13800138000") == "138****8000"
    assert mask_mobile("+86 138-0013-8000") == "138****8000"
    assert mask_name("张三") == "张*"
    assert mask_name("欧阳娜娜") == "欧***"
    assert mask_name("李") == "李"
    for fn in (mask_id_number, mask_mobile, mask_name):
        assert fn("") == ""
        assert fn(None) == ""


def test_masking_short_values_never_leak() -> None:
    assert mask_id_number("1234") == "****"
    assert mask_mobile("1234567") == "*******"


@given(valid_ids)
def test_masked_id_hides_middle(number: str) -> None:
    masked = mask_id_number(number)
    assert len(masked) == 18
    assert masked[:4] == number[:4] and masked[-4:] == number[-4:]
    assert masked[4:14] == "*" * 10
