"""Password rules of A-01: at least three of four character classes, unlike the user's names."""

from __future__ import annotations

import re
from difflib import SequenceMatcher
from typing import TYPE_CHECKING

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

if TYPE_CHECKING:  # the validators are loaded from settings, models or not
    from .models import User


class CharacterClassValidator:
    classes = (r"[a-z]", r"[A-Z]", r"[0-9]", r"[^a-zA-Z0-9]")

    def validate(self, password: str, user: User | None = None) -> None:
        found = sum(1 for pattern in self.classes if re.search(pattern, password))
        if found < 3:
            raise ValidationError(
                _("密码须包含大写字母、小写字母、数字、符号中的至少三类。"), code="password_classes"
            )

    def get_help_text(self) -> str:
        return _("密码须包含大写字母、小写字母、数字、符号中的至少三类。")


class PersonSimilarityValidator:
    """Rejects passwords that contain or closely resemble the username or the person's name."""

    max_similarity = 0.7

    def validate(self, password: str, user: User | None = None) -> None:
        if user is None:
            return
        candidates = [getattr(user, "username", "") or ""]
        person = getattr(user, "person", None)
        if person is not None:
            from pypinyin import lazy_pinyin

            candidates += [person.name, "".join(lazy_pinyin(person.name))]
        lowered = password.lower()
        for value in filter(None, (c.lower() for c in candidates)):
            if len(value) >= 3 and value in lowered or (
                SequenceMatcher(a=lowered, b=value).quick_ratio() >= self.max_similarity
                and SequenceMatcher(a=lowered, b=value).ratio() >= self.max_similarity
            ):
                raise ValidationError(_("密码与用户名或姓名过于相似。"), code="password_too_similar")

    def get_help_text(self) -> str:
        return _("密码不能与用户名或姓名相似。")


# Keyboard walks and sequences people build passwords from (Django's list holds whole passwords,
# not the words they are made of).
_WALKS = ("qwertyuiop", "asdfghjkl", "zxcvbnm", "1qaz2wsx3edc4rfv", "qazwsxedc", "abcdefghijklmnopqrstuvwxyz",
          "01234567890", "09876543210")
_LEET = str.maketrans({"@": "a", "4": "a", "0": "o", "1": "l", "!": "i", "3": "e", "$": "s", "5": "s", "7": "t"})
# Words Chinese users build passwords from, beyond Django's English list.
_LOCAL_WORDS = frozenset({"woaini", "woainima", "nihao", "zhongguo", "china", "gongjian", "fulian", "dangjian",
                          "admin", "administrator", "welcome", "iloveyou", "aini", "qwerty", "abc", "abcd"})


class CommonPatternValidator:
    """Refuses passwords made of a common word with digits and symbols around it ("Password123!",
    "Admin@2026", "P@ssw0rd1"), keyboard walks ("Qwer1234!") and one character repeated — the
    patterns that pass a character-class rule and fall first to a guessing attack (issue 12)."""

    def __init__(self) -> None:
        from django.contrib.auth.password_validation import CommonPasswordValidator

        self.common = CommonPasswordValidator().passwords

    def _core(self, password: str) -> str:
        """The word inside: lower case, digits and symbols stripped from both ends."""
        return re.sub(r"^[\d\W_]+|[\d\W_]+$", "", password.lower())

    def _is_walk(self, text: str) -> bool:
        compact = re.sub(r"[\W_]", "", text.lower())
        if len(compact) < 4:
            return False
        return any(compact in walk or compact in walk[::-1] for walk in _WALKS)

    def validate(self, password: str, user: User | None = None) -> None:
        lowered = password.lower()
        core = self._core(password)
        cores = {core, self._core(password.translate(_LEET)), lowered.translate(_LEET)}
        weak = (
            len(set(lowered)) <= 2
            or any(c and (c in self.common or c in _LOCAL_WORDS) for c in cores)
            or any(c and len(c) < 3 for c in cores if c == core)
            or self._is_walk(lowered)
            or self._is_walk(core)
            or any(self._is_walk(part) for part in re.split(r"[\W_]+", lowered) if len(part) >= 6)
        )
        if weak:
            raise ValidationError(_("密码由常见单词、键盘顺序或重复字符加数字符号组成，很容易被猜中，请换一个。"),
                                  code="password_common_pattern")

    def get_help_text(self) -> str:
        return _("密码不能是常见单词、键盘顺序或重复字符加上数字和符号。")
