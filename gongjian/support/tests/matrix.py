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
# isort: split
from datetime import date as _care_date  # noqa: E402

from gongjian.kernel.models import PairingMeeting as _CareMeeting  # noqa: E402
from gongjian.kernel.models import PairingPurpose as _CarePurpose  # noqa: E402
from gongjian.kernel.tests.matrix import person as _care_person  # noqa: E402
from gongjian.kernel.tests.matrix import stored_file as _care_stored_file  # noqa: E402
from gongjian.support.models import CarePairing, CareRecipient, CareVisit, RecipientCategory  # noqa: E402
from gongjian.support.models.case import LegalBasis as _CareBasis  # noqa: E402


def care_recipient(place: Place) -> CareRecipient:
    """A 留守老人 of the place's federation (an adult: the matrix asks about reach, not P-05)."""
    return CareRecipient.objects.create(organization=place.federation, person=_care_person(place),
                                        category=RecipientCategory.LEFT_BEHIND_ELDER, needs="矩阵测试需求",
                                        legal_basis=_CareBasis.STATUTORY)


def care_pairing(place: Place) -> CarePairing:
    """A 爱心妈妈 pairing of the place's federation with its recipient (purpose `care`)."""
    recipient = care_recipient(place)
    today = _care_date.today()
    return CarePairing.objects.create(organization=place.federation, kind=_CarePurpose.CARE,
                                      mentor=_care_person(place), mentee=recipient.person, started_on=today,
                                      due_on=today)


def care_visit(place: Place) -> CareVisit:
    meeting = _CareMeeting.objects.create(pairing=care_pairing(place), date=_care_date.today(),
                                          content="矩阵测试走访", photo=_care_stored_file(place.federation))
    return CareVisit.objects.get(pk=meeting.pk)
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
    CareRecipient: care_recipient,
    CarePairing: care_pairing,
    CareVisit: care_visit,
    # --- end care: records ---
    # --- service: records ---
    ServiceSite: service_site,
    HealthRound: health_round,
    # --- end service: records ---
}
