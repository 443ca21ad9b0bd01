"""Password rules (A-01, issue 12): three character classes, unlike the user's names, and not a
common word, keyboard walk or repeated character dressed up with digits and symbols."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError

from gongjian.kernel.demo import make_password
from gongjian.kernel.passwords import CharacterClassValidator, CommonPatternValidator

COMMON_PATTERNS = ["Password123!", "Admin@2026", "P@ssw0rd1", "Qwer1234!", "1qaz2WSX!@", "Aaaaaaaa1!",
                   "Woaini1314!", "!Welcome2026", "Gongjian@2026", "Abc!12345678", "Zxcvbnm,./1A"]
STRONG = ["Gj7kQ-mw2Xp9", "Tai华路2026!x", "lq8#Vd0-Hs3z", "Xy7!k9#m2Q"]


@pytest.mark.parametrize("password", COMMON_PATTERNS)
def test_a_common_word_walk_or_repeat_with_digits_and_symbols_is_refused(password: str) -> None:
    CharacterClassValidator().validate(password)  # each would pass the character classes alone
    with pytest.raises(ValidationError) as caught:
        CommonPatternValidator().validate(password)
    assert caught.value.error_list[0].code == "password_common_pattern"
    assert "容易被猜中" in caught.value.messages[0]


@pytest.mark.parametrize("password", STRONG)
def test_a_password_not_built_from_a_pattern_passes(password: str) -> None:
    CommonPatternValidator().validate(password)


def test_the_rule_is_in_the_settings_and_demo_passwords_pass_it(settings: object) -> None:
    with pytest.raises(ValidationError):
        validate_password("Password123!")
    for _ in range(200):
        validate_password(make_password())
