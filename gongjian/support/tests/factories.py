"""Builders of support records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- case ---
# --- end case ---
# --- case_public ---
# isort: split
from typing import Any as _Any  # noqa: E402

from gongjian.kernel.models import Organization as _Organization  # noqa: E402
from gongjian.support.models import Case as _Case  # noqa: E402
from gongjian.support.services.case_public import HelpRequest, case_submit_online  # noqa: E402


def help_requested(organization: _Organization | str, **overrides: _Any) -> tuple[_Case, str]:
    """A woman's request for help from the portal, through the service: (case, query password)."""
    if isinstance(organization, str):
        organization = _Organization.objects.get(name=organization)
    data: dict[str, _Any] = {"category": "marriage_family", "summary": "丈夫长期不给家用，想咨询怎么办",
                             "narrative": "", "contact_name": "王女士", "contact_mobile": "",
                             "anonymous": False, "risk": False, "consent": True}
    data.update(overrides)
    return case_submit_online(request=HelpRequest(organization=organization, **data))
# --- end case_public ---

# --- care ---
# --- end care ---

# --- service ---
# --- end service ---
