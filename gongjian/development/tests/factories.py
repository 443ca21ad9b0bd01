"""Builders of development records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- talent ---
from typing import Any as _TAny  # noqa: E402

from gongjian.development.models import Talent as _Talent  # noqa: E402
from gongjian.development.services import talent as _talent_services  # noqa: E402
from gongjian.kernel.access import acting_organization_required as _acting_org  # noqa: E402
from gongjian.kernel.models import Person as _Person  # noqa: E402
from gongjian.kernel.tests.matrix import persona as _persona  # noqa: E402


def woman_of(org_name: str, index: int = 0) -> _Person:
    """A demo woman of the organisation holding no position (an ordinary resident)."""
    women = _Person.objects.filter(organization__name=org_name, gender="F", positions__isnull=True).order_by("id")
    return women[index]


def talent_collected(by: str = "xiaoliu_women", *, woman: _Person | None = None, **data: _TAny) -> _Talent:
    """A draft entry collected by `by` (a woman of its own federation unless given)."""
    actor = _persona(by)
    org = _acting_org(actor)
    fields = {"person": woman or woman_of(org.name, 2), "kind": "rich_able", "trade": "苹果种植",
              "skills": "果树修剪", "enterprise": "", "income": None, "jobs": 8, "deeds": "", **data}
    return _talent_services.talent_create(actor=actor, data={**fields, "organization": org})


def talent_reported(by: str = "xiaoliu_women", **data: _TAny) -> _Talent:
    talent = talent_collected(by, **data)
    return _talent_services.talent_report(actor=_persona(by), talent=talent)


def talent_forwarded(by: str = "xiaoliu_women", township: str = "taihua_fed", **data: _TAny) -> _Talent:
    talent = talent_reported(by, **data)
    return _talent_services.talent_forward(actor=_persona(township), talent=talent)


def talent_accepted(by: str = "xiaoliu_women", township: str = "taihua_fed", county: str = "huayin_fed",
                    **data: _TAny) -> _Talent:
    talent = talent_forwarded(by, township, **data)
    return _talent_services.talent_accept(actor=_persona(county), talent=talent)
# --- end talent ---

# --- cultivation ---
# --- end cultivation ---

# --- loan ---
# --- end loan ---

# --- demonstration ---
# --- end demonstration ---
