"""Who is acting, for which organisation, from where: set once per request, read by audit."""

from __future__ import annotations

import contextvars
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import Organization, Position


@dataclass
class RequestContext:
    ip: str | None = None
    request_id: str = ""
    extra: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Acting:
    """The position a user is acting in right now; its organisation bounds what she sees."""

    position: Position

    @property
    def organization(self) -> Organization:
        return self.position.organization

    @property
    def role(self) -> str:
        return self.position.role


_current: contextvars.ContextVar[RequestContext | None] = contextvars.ContextVar(
    "gongjian_request", default=None
)


def current() -> RequestContext:
    return _current.get() or RequestContext()


def activate(ctx: RequestContext) -> contextvars.Token[RequestContext | None]:
    return _current.set(ctx)


def deactivate(token: contextvars.Token[RequestContext | None]) -> None:
    _current.reset(token)
