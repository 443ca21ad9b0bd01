"""Builders of support records through the services (plain functions, no pytest)."""

from __future__ import annotations

# --- case ---
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
# isort: split
from datetime import date, timedelta  # noqa: E402
from typing import Any  # noqa: E402

from django.utils import timezone  # noqa: E402

from gongjian.kernel.models import Organization, User  # noqa: E402
from gongjian.support.models import HealthKind, HealthRound, ServiceSite, SiteKind  # noqa: E402
from gongjian.support.services import service as service_services  # noqa: E402


def make_site(actor: User, *, organization: str | Organization | None = None, **extra: Any) -> ServiceSite:
    """A 维权投诉站 of the actor's organisation (or the one named), made through the service."""
    org = Organization.objects.get(name=organization) if isinstance(organization, str) else organization
    data: dict[str, Any] = {"organization": org, "kind": SiteKind.COMPLAINT_STATION, "name": "测试妇女维权投诉站",
                            "address": "测试村委会一楼", "hours": "周一至周五 8:30-17:30", "open_days": "12345",
                            "phone": "0913-4660001", "is_public": True}
    data.update(extra)
    return service_services.service_site_create(actor=actor, data=data)


def make_round(actor: User, *, organization: str | Organization | None = None, **extra: Any) -> HealthRound:
    """A 两癌检查 held ten days ago by the actor's organisation (or the one named), through the service."""
    org = Organization.objects.get(name=organization) if isinstance(organization, str) else organization
    day: date = timezone.localdate() - timedelta(days=10)
    data: dict[str, Any] = {"organization": org, "kind": HealthKind.CANCER_SCREENING, "starts_on": day,
                            "place": "测试卫生院", "partner": "华阴市卫健局", "served": 50,
                            "cervical_screened": 48, "breast_screened": 45}
    data.update(extra)
    return service_services.health_round_record(actor=actor, data=data)
# --- end service ---
