"""The importer's fast path for clean ID numbers agrees with the kernel's validator (ADR 0021)."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from hypothesis import given, settings
from hypothesis import strategies as st

from gongjian.kernel.identity import generate_id_number, validate_id_number
from gongjian.kernel.importing import quick_id

TODAY = date(2026, 11, 26)


def kernel_says(text: str) -> tuple[date, str] | None:
    try:
        info = validate_id_number(text, today=TODAY)
    except ValidationError:
        return None
    return info.birth_date, info.gender


@settings(max_examples=400, deadline=None)
@given(st.text(alphabet="0123456789X", min_size=18, max_size=18))
def test_random_numbers_are_judged_the_same_way(text):
    fast = quick_id(text, TODAY)
    assert fast is None or fast == kernel_says(text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(["110105", "610582", "640221", "990101", "810000"]),
       st.dates(min_value=date(1890, 1, 1), max_value=date(2030, 12, 31)),
       st.sampled_from(["F", "M"]), st.integers(min_value=0, max_value=499))
def test_well_formed_numbers_take_the_fast_path_exactly_when_the_kernel_accepts_them(region, birth, gender, seq):
    number = generate_id_number(region, birth, gender, seq)
    assert quick_id(number, TODAY) == kernel_says(number)


def test_sloppy_input_falls_back_to_the_kernel():
    assert quick_id("11010519491231002x", TODAY) is None  # lower-case x: the kernel normalises it
    assert kernel_says("11010519491231002x") == (date(1949, 12, 31), "F")
