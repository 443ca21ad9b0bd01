"""Records of support for the role x route matrix (kernel/tests/test_matrix.py): one maker per record
type a route names, each building the record for a `Place`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gongjian.kernel.tests.matrix import Place  # noqa: F401

# --- case ---
# isort: split
from gongjian.support.models import Case as _Case  # noqa: E402


def case(place: Place) -> _Case:
    """A case handled by the place's federation (no named handler: its lead reaches it)."""
    found = _Case(organization=place.federation, intake_organization=place.federation, channel="hotline_12338",
                  category="domestic_violence", summary="矩阵测试求助", narrative="矩阵测试详细情况",
                  contact_mobile="13900009999", sensitive=True)
    found.issue_credentials("WQ")
    found.save()
    return found
# --- end case ---

# --- care ---
# --- end care ---

# --- service ---
# isort: split
from datetime import date as _service_date  # noqa: E402

from gongjian.support.models import HealthKind, HealthRound, ServiceSite, SiteKind  # noqa: E402


def service_site(place: Place) -> ServiceSite:
    """A public 维权投诉站 of the place's federation."""
    return ServiceSite.objects.create(organization=place.federation, kind=SiteKind.COMPLAINT_STATION,
                                      name="矩阵测试维权投诉站", address="矩阵测试地址", hours="周一至周五",
                                      phone="12338", opened_on=_service_date(2026, 1, 1))


def health_round(place: Place) -> HealthRound:
    return HealthRound.objects.create(organization=place.federation, kind=HealthKind.CANCER_SCREENING,
                                      starts_on=_service_date(2026, 3, 1), place="矩阵测试卫生院",
                                      partner="矩阵测试卫健局", served=10)
# --- end service ---

RECORDS: dict[type, Callable[[Place], Any]] = {
    # --- case: records ---
    _Case: case,
    # --- end case: records ---
    # --- care: records ---
    # --- end care: records ---
    # --- service: records ---
    ServiceSite: service_site,
    HealthRound: health_round,
    # --- end service: records ---
}
