"""Tracking code + query password for members of the public (a suggestion, an objection, a help
request): the code identifies, the password proves; only a hash of the password is kept."""

from __future__ import annotations

import secrets
import unicodedata
from typing import TypeVar

from django.contrib.auth.hashers import check_password, make_password
from django.db import models
from django.utils.translation import gettext_lazy as _

# No 0/O, 1/I/L: the code is read aloud over the phone and copied from paper.
ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"


def new_tracking_code(prefix: str = "GJ") -> str:
    body = "".join(secrets.choice(ALPHABET) for _ in range(8))
    return f"{prefix}-{body[:4]}-{body[4:]}"


def new_query_password() -> str:
    """Eight digits: easy to type on a phone keypad; guessing is bounded by rate limits."""
    return f"{secrets.randbelow(10**8):08d}"


def normalize_code(raw: str) -> str:
    """The code as stored, however it was typed: any case, with or without dashes or spaces, full-
    width characters from a Chinese keyboard (issue 13): "wq a3b4 c5d6" → "WQ-A3B4-C5D6"."""
    text = unicodedata.normalize("NFKC", raw or "").upper()
    cleaned = "".join(ch for ch in text if ch.isascii() and ch.isalnum())[:20]
    if len(cleaned) <= 8 or not cleaned[:-8].isalpha():
        return cleaned
    body = cleaned[-8:]
    return f"{cleaned[:-8]}-{body[:4]}-{body[4:]}"


class TrackedByPublic(models.Model):
    """Abstract: a record a member of the public follows with a code and a password."""

    tracking_code = models.CharField(_("查询码"), max_length=20, unique=True, editable=False)
    query_password_hash = models.CharField(max_length=200, editable=False)

    class Meta:
        abstract = True

    def issue_credentials(self, prefix: str = "GJ") -> str:
        """Set a fresh code and password on the instance (before saving); returns the password."""
        self.tracking_code = new_tracking_code(prefix)
        password = new_query_password()
        self.query_password_hash = make_password(password)
        return password


T = TypeVar("T", bound=TrackedByPublic)

# A hash to compare against when the code is unknown, so both answers take the same time.
_DUMMY_HASH = make_password(None)


def find_tracked(queryset: models.QuerySet[T], code: str, password: str) -> T | None:
    """The record whose code and password match, else None (same answer for either mistake)."""
    obj = queryset.filter(tracking_code=normalize_code(code)).first()
    if obj is None:
        check_password(password or "", _DUMMY_HASH)
        return None
    return obj if check_password((password or "").strip(), obj.query_password_hash) else None
