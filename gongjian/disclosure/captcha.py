"""A small arithmetic challenge for the suggestion box once one address has sent several in an
hour (I-07: "captcha after a threshold"). The answer travels signed and time-limited in the
form, so no session is needed for an anonymous visitor."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.core import signing
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel.models import RateCounter
from gongjian.kernel.ratelimit import window_start

SALT = "gongjian.disclosure.captcha"
MAX_AGE = 600
THRESHOLD = 5


@dataclass(frozen=True)
class Challenge:
    question: str
    token: str


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"a": a + b, "n": secrets.token_hex(4)}, salt=SALT)
    return Challenge(_("请计算：%(a)s 加 %(b)s 等于几？") % {"a": a, "b": b}, token)


def solved(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return False
    return str(data.get("a")) == (answer or "").strip()


def hits_this_hour(key: str) -> int:
    """How often `key` was counted by kernel.ratelimit in the current one-hour window."""
    start = window_start(timezone.now(), 3600)
    return RateCounter.objects.filter(key=key[:200], window_start=start).values_list("count", flat=True).first() or 0
