"""cultivation of 巾帼致富 (see models/__init__.py)."""

from __future__ import annotations

__all__: list[str] = []
