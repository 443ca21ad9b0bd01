"""A small arithmetic challenge for the suggestion box once one address has sent several in an
hour (I-07: "captcha after a threshold"). No session is needed for an anonymous visitor: the form
carries a signed, time-limited token holding a nonce and a keyed hash of the answer (the answer
cannot be read from it), and a token is good for one try — the first check marks its nonce used in
the shared rate-counter table, so a solved token cannot be replayed (issue 12)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import UTC, datetime

from django.core import signing
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac
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


def _answer_hash(nonce: str, answer: str) -> str:
    return salted_hmac(SALT, f"{nonce}:{answer}").hexdigest()


def new_challenge() -> Challenge:
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    nonce = secrets.token_urlsafe(12)
    token = signing.dumps({"n": nonce, "t": int(timezone.now().timestamp()), "h": _answer_hash(nonce, str(a + b))},
                          salt=SALT)
    return Challenge(_("请计算：%(a)s 加 %(b)s 等于几？") % {"a": a, "b": b}, token)


def _use(nonce: str, issued: int) -> bool:
    """Mark the token's nonce used; False when it was used before (one try per token)."""
    try:
        with transaction.atomic():
            RateCounter.objects.create(key=f"captcha:{nonce}"[:200], count=1,
                                       window_start=datetime.fromtimestamp(issued, tz=UTC))
    except IntegrityError:
        return False
    return True


def solved(token: str, answer: str) -> bool:
    try:
        data = signing.loads(token or "", salt=SALT, max_age=MAX_AGE)
        nonce, issued, expected = str(data["n"]), int(data["t"]), str(data["h"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return False
    if not _use(nonce, issued):
        return False
    return constant_time_compare(_answer_hash(nonce, (answer or "").strip()), expected)


def hits_this_hour(key: str) -> int:
    """How often `key` was counted by kernel.ratelimit in the current one-hour window."""
    start = window_start(timezone.now(), 3600)
    return RateCounter.objects.filter(key=key[:200], window_start=start).values_list("count", flat=True).first() or 0
