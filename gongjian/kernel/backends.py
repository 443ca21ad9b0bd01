"""The account backend: loads the user with her person and positions (kernel.principal), without decrypting."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id: Any) -> User | None:
        """The signed-in account for a request: one small fresh query, the rest from the
        per-process snapshot (kernel.principal)."""
        from . import principal

        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = principal.load(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
