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
