"""Writes of service sites and health rounds: create, change and close a site (never deleted); record
and correct a health round (counts only, never a person's result). One use case each, one
transaction, audited; bad input is a ValidationError in Chinese and nothing is saved."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongjian.kernel import access, audit
from gongjian.kernel.models import Organization, Person, User
from gongjian.kernel.permissions import ensure_can

from ..models import WEEKDAYS, HealthKind, HealthPartnerKind, HealthRound, ServiceSite, SiteKind

SITE_FIELDS = ("organization", "kind", "name", "address", "hours", "open_days", "phone", "contact",
               "contact_is_public", "partner", "description", "is_public", "opened_on")
ROUND_FIELDS = ("organization", "kind", "starts_on", "ends_on", "place", "partner", "partner_kind", "audience",
                "served", "cervical_screened", "breast_screened", "is_public", "note")
MAX_TEXT = 2000
MAX_SERVED = 1_000_000
#: A round lasts at most this long (a 母亲健康快车 tour of a county may take weeks).
MAX_ROUND_DAYS = 366
EARLIEST = date(2000, 1, 1)

_MOBILE = re.compile(r"1[3-9]\d{9}", re.ASCII)
# A landline with its area code (0913-1234567, 010-12345678, optional extension), a short service
# line (12338, 12355, 110) or a 400/800 number.
_LANDLINE = re.compile(r"0\d{2,3}-?\d{7,8}(-\d{1,6})?", re.ASCII)
_SHORT_LINE = re.compile(r"1\d{2}(\d{2})?", re.ASCII)
_FREE_LINE = re.compile(r"[48]00-?\d{3}-?\d{4}", re.ASCII)
_FULLWIDTH = str.maketrans("０１２３４５６７８９－", "0123456789-")
_DASHES = str.maketrans({"—": "-", "–": "-", "－": "-", " ": "", "\u3000": ""})


def normalize_phone(raw: Any) -> str:
    """A public phone as typed, with spaces removed and full-width digits and dashes made plain."""
    return str(raw or "").translate(_FULLWIDTH).translate(_DASHES).strip()


def is_valid_phone(value: str) -> bool:
    """A mobile (^1[3-9]\\d{9}$), a landline with area code, or a hotline like 12338 / 400-…"""
    return any(pattern.fullmatch(value) for pattern in (_MOBILE, _LANDLINE, _SHORT_LINE, _FREE_LINE))


def _text(value: Any, limit: int) -> str:
    return str(value or "").strip()[:limit]


# --- sites ---------------------------------------------------------------------------------------

def _check_site(actor: User, site: ServiceSite) -> None:
    """Validate a site; its organisation and contact must lie in the actor's reach (Z-02)."""
    errors: dict[str, str] = {}
    org = site.organization
    if org.kind not in Organization.FEDERATION_KINDS or not org.is_active or not access.may(actor, org):
        errors["organization"] = _("请选择本辖区内的妇联组织。")
    if site.kind not in SiteKind.values:
        errors["kind"] = _("请选择站点类别。")
    site.name = _text(site.name, 100)
    if not site.name:
        errors["name"] = _("请填写名称。")
    site.address = _text(site.address, 200)
    if not site.address and site.kind != SiteKind.WHISPER_LINE:
        errors["address"] = _("请填写站点地址（公共场所，如村委会院内）。")
    site.hours = _text(site.hours, 100)
    if not site.hours:
        errors["hours"] = _("请填写开放时间，如：周一至周五 8:30-17:30。")
    days = "".join(sorted(set(str(site.open_days or ""))))
    if any(d not in dict(WEEKDAYS) for d in days):
        errors["open_days"] = _("开放日只能选周一到周日。")
    site.open_days = days
    site.phone = normalize_phone(site.phone)
    if site.phone and not is_valid_phone(site.phone):
        errors["phone"] = _("请填写正确的电话：手机号（11位）、固定电话（如0913-1234567）或服务热线（如12338）。")
    elif not site.phone and site.kind == SiteKind.WHISPER_LINE:
        errors["phone"] = _("热线请填写电话号码。")
    if site.contact_id is not None:
        contact = site.contact
        if not isinstance(contact, Person) or not access.may(actor, contact) or contact.organization is None \
                or "organization" in errors or not org.contains(contact.organization):
            errors["contact"] = _("联系人应是本组织（或下级组织）的人员。")
    else:
        site.contact_is_public = False
    site.partner = _text(site.partner, 100)
    site.description = _text(site.description, MAX_TEXT)
    if not isinstance(site.opened_on, date) or not EARLIEST <= site.opened_on <= timezone.localdate():
        errors["opened_on"] = _("启用日期不能晚于今天。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def service_site_create(*, actor: User, data: dict[str, Any]) -> ServiceSite:
    """Add a service site or line of an organisation in the actor's subtree."""
    organization = data.get("organization") or access.acting_organization_required(actor)
    if not isinstance(organization, Organization):
        raise ValidationError({"organization": _("请选择本辖区内的妇联组织。")})
    values = {k: v for k, v in data.items() if k in SITE_FIELDS and k != "organization"}
    values.setdefault("opened_on", timezone.localdate())
    site = ServiceSite(**values, organization=organization, created_by=actor)
    ensure_can(actor, "support.manage_service_site", site)
    _check_site(actor, site)
    site.save()
    audit.record(site, "support.site.created", actor=actor,
                 changes=audit.diff({}, audit.snapshot(site, SITE_FIELDS)))
    return site


@transaction.atomic
def service_site_update(*, actor: User, site: ServiceSite, data: dict[str, Any]) -> ServiceSite:
    """Change a site's details (a closed site is kept as it was)."""
    ensure_can(actor, "support.manage_service_site", site)
    site = ServiceSite.objects.select_for_update().get(pk=site.pk)
    if site.closed_on is not None:
        raise ValidationError(_("站点已停用，不能再修改。"))
    before = audit.snapshot(site, SITE_FIELDS)
    for key, value in data.items():
        if key in SITE_FIELDS:
            setattr(site, key, value)
    # The site may move within the actor's reach only; the new owner is checked like a new site.
    ensure_can(actor, "support.manage_service_site", site)
    _check_site(actor, site)
    site.save()
    audit.record(site, "support.site.updated", actor=actor,
                 changes=audit.diff(before, audit.snapshot(site, SITE_FIELDS)))
    return site


@transaction.atomic
def service_site_close(*, actor: User, site: ServiceSite, reason: str = "",
                       closed_on: date | None = None) -> ServiceSite:
    """Close a site (停用): it leaves the portal and the figures after that day, and is kept."""
    ensure_can(actor, "support.manage_service_site", site)
    site = ServiceSite.objects.select_for_update().get(pk=site.pk)
    if site.closed_on is not None:
        raise ValidationError(_("站点已经停用。"))
    day = closed_on or timezone.localdate()
    if not site.opened_on <= day <= timezone.localdate():
        raise ValidationError({"closed_on": _("停用日期应在启用日期和今天之间。")})
    site.closed_on, site.close_reason = day, _text(reason, 200)
    site.save(update_fields=["closed_on", "close_reason", "updated_at"])
    audit.record(site, "support.site.closed", actor=actor,
                 changes={"closed_on": day.isoformat(), "reason": site.close_reason})
    return site


# --- health rounds -------------------------------------------------------------------------------

def _count(value: Any) -> int | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError
    return value


def _check_round(actor: User, found: HealthRound) -> None:
    """Validate a round: counts not below zero, a held round not dated in the future."""
    errors: dict[str, str] = {}
    org = found.organization
    if org.kind not in Organization.FEDERATION_KINDS or not org.is_active or not access.may(actor, org):
        errors["organization"] = _("请选择本辖区内的妇联组织。")
    if found.kind not in HealthKind.values:
        errors["kind"] = _("请选择服务类别。")
    if found.partner_kind not in HealthPartnerKind.values:
        errors["partner_kind"] = _("请选择合作单位类别。")
    found.place = _text(found.place, 200)
    if not found.place:
        errors["place"] = _("请填写服务地点。")
    found.partner = _text(found.partner, 100)
    if not found.partner:
        errors["partner"] = _("请填写合作单位，如华阴市卫健局。")
    found.audience, found.note = _text(found.audience, 200), _text(found.note, MAX_TEXT)
    counts: dict[str, int | None] = {}
    for key in ("served", "cervical_screened", "breast_screened"):
        try:
            counts[key] = _count(getattr(found, key))
        except TypeError:
            counts[key] = None
            errors[key] = _("人数应为0或正整数。")
            continue
        value = counts[key]
        if value is not None and not 0 <= value <= MAX_SERVED:
            errors[key] = _("人数应为0或正整数。")
    if found.kind != HealthKind.CANCER_SCREENING:
        found.cervical_screened = found.breast_screened = None  # only 两癌检查 counts screenings
        counts["cervical_screened"] = counts["breast_screened"] = None
    served = counts.get("served") or 0
    if counts.get("served") is None and "served" not in errors:
        found.served = 0
    for key, message in (("cervical_screened", _("宫颈癌筛查人数不能多于服务妇女人数。")),
                         ("breast_screened", _("乳腺癌筛查人数不能多于服务妇女人数。"))):
        value = counts.get(key)
        if key not in errors and value is not None and value > served:
            errors[key] = message
    today = timezone.localdate()
    start, end = found.starts_on, found.ends_on
    if not isinstance(start, date) or start < EARLIEST:
        errors["starts_on"] = _("请填写开始日期。")
    elif end is not None and (not isinstance(end, date) or end < start):
        errors["ends_on"] = _("结束日期不能早于开始日期。")
    elif end is not None and end - start > timedelta(days=MAX_ROUND_DAYS):
        errors["ends_on"] = _("一轮服务最长一年，请分开登记。")
    else:
        held = served > 0 or any(counts.get(k) for k in ("cervical_screened", "breast_screened"))
        if held and found.last_day > today:
            field = "ends_on" if end is not None else "starts_on"
            errors[field] = _("已开展的服务，日期不能晚于今天；尚未开展的请先不填人数（作为预告）。")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def health_round_record(*, actor: User, data: dict[str, Any]) -> HealthRound:
    """Record a health service round held (or announced) by an organisation in the actor's subtree."""
    organization = data.get("organization") or access.acting_organization_required(actor)
    if not isinstance(organization, Organization):
        raise ValidationError({"organization": _("请选择本辖区内的妇联组织。")})
    found = HealthRound(**{k: v for k, v in data.items() if k in ROUND_FIELDS and k != "organization"},
                        organization=organization, created_by=actor)
    ensure_can(actor, "support.record_health_round", found)
    _check_round(actor, found)
    found.save()
    audit.record(found, "support.health_round.recorded", actor=actor,
                 changes=audit.diff({}, audit.snapshot(found, ROUND_FIELDS)))
    return found


@transaction.atomic
def health_round_update(*, actor: User, health_round: HealthRound, data: dict[str, Any]) -> HealthRound:
    """Correct a round or fill in its counts once it has been held."""
    ensure_can(actor, "support.record_health_round", health_round)
    found = HealthRound.objects.select_for_update().get(pk=health_round.pk)
    before = audit.snapshot(found, ROUND_FIELDS)
    for key, value in data.items():
        if key in ROUND_FIELDS:
            setattr(found, key, value)
    ensure_can(actor, "support.record_health_round", found)
    _check_round(actor, found)
    found.save()
    audit.record(found, "support.health_round.updated", actor=actor,
                 changes=audit.diff(before, audit.snapshot(found, ROUND_FIELDS)))
    return found
