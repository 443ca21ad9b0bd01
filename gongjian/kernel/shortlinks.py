"""Short links of public pages (/s/<code>/), for sharing into a WeChat group.

Only public pages ask for one (`{% share_box %}` on the public notice, activity and disclosure
pages), for their own address, so no private record ever gets a code. The code is random (eight
letters and digits from an alphabet without look-alikes: 31^8 ≈ 850 billion), not derived from
the id, so codes cannot be counted through; the same page keeps the same code."""

from __future__ import annotations

import secrets

from django.db import IntegrityError, transaction
from django.http import Http404

from .models import ShortLink

ALPHABET = "23456789abcdefghjkmnpqrstuvwxyz"
LENGTH = 8


def _new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))


def shortlink_for(*, path: str) -> ShortLink:
    """The short link of a public page's path, made the first time it is asked for."""
    found = ShortLink.objects.filter(path=path).first()
    if found is not None:
        return found
    for _attempt in range(5):
        try:
            with transaction.atomic():
                return ShortLink.objects.create(path=path, code=_new_code())
        except IntegrityError:
            found = ShortLink.objects.filter(path=path).first()
            if found is not None:  # made at the same moment by another request
                return found
    raise RuntimeError("no free short code")  # 5 collisions in a space of 850 billion


def shortlink_resolve(*, code: str) -> str:
    """The path a code leads to; Http404 for a code nobody was given."""
    path = ShortLink.objects.filter(code=code.lower()).values_list("path", flat=True).first()
    if path is None or not path.startswith("/"):
        raise Http404
    return path
