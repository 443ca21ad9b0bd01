"""Demo records of 公文与报告 (idempotent, invented content only); called by kernel.demo.load_demo after
the county. Each topic adds its records in its own function, called from `load`."""

from __future__ import annotations

from typing import Any


# --- document ---
def load_documents(result: Any) -> None:
    """A draft 情况汇报 of 太华路街道妇联 for this year, drafted from the demo county's records as its
    chair would (the sections she writes herself stay to be written). Once per year."""
    from datetime import date

    from django.utils import timezone

    from gongjian.kernel.context import Acting
    from gongjian.kernel.documents import Kind
    from gongjian.kernel.models import Organization, User

    from .models import Document
    from .services import document as services

    street = Organization.objects.filter(name="太华路街道妇联").first()
    user = User.objects.filter(username="taihua_fed").first()
    if street is None or user is None:
        return
    positions = [p for p in user.current_positions() if p.organization_id == street.pk]
    if not positions:
        return
    user.positions = positions
    user.acting = Acting(positions[0])
    year = timezone.localdate().year
    start, end = date(year, 1, 1), date(year, 12, 31)
    if Document.objects.filter(organization=street, kind=Kind.SITUATION_REPORT, period_from=start,
                               period_to=end).exists():
        return
    services.document_draft(actor=user, kind=Kind.SITUATION_REPORT, organization=street, start=start, end=end)
    result.count("documents")
# --- end document ---
# --- news ---
# --- end news ---


def load(result: Any) -> None:
    # --- document ---
    load_documents(result)
    # --- end document ---
    # --- news ---
    # --- end news ---
    return None
