"""Finding a place by typing its name as people do on a phone: 小留, xiaoliu or xlc (the initials).

Names are few and change rarely, so the pinyin is worked out when a name is first asked about and
kept for the process (a few hundred short strings), not stored beside the name."""

from __future__ import annotations

from functools import lru_cache

from pypinyin import Style, lazy_pinyin


@lru_cache(maxsize=4096)
def spellings(name: str) -> tuple[str, str]:
    """The full pinyin and the initials of a name, lower case, no spaces: ("xiaoliucun", "xlc")."""
    full = "".join(lazy_pinyin(name, errors="ignore")).lower()
    initials = "".join(lazy_pinyin(name, style=Style.FIRST_LETTER, errors="ignore")).lower()
    return full, initials


def name_matches(name: str, query: str) -> bool:
    """True when the query is part of the name, of its pinyin or of its initials."""
    wanted = "".join(query.split()).lower()
    if not wanted:
        return True
    if wanted in name.lower():
        return True
    full, initials = spellings(name)
    return wanted in full or wanted in initials
