"""Reads of service sites and health rounds through the access policy: staff see their subtree's;
the portal's readers (`audience="reader"`) see public open sites and announced rounds — never a
contact's mobile. `hotlines_for` gives the 妇女悄悄话 lines a woman asking for help may call.
Figures for `kernel.figures` in constant queries."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access, figures
from gongjian.kernel.http import Reader
from gongjian.kernel.models import Organization, Person

from ..models import HealthKind, HealthRound, ServiceSite, SiteKind

READER = "reader"

#: The national women's rights hotline of the All-China Women's Federation (always shown).
NATIONAL_HOTLINE = "12338"
NATIONAL_HOTLINE_LABEL = _("全国妇联妇女维权公益服务热线")


# --- staff ---------------------------------------------------------------------------------------

def site_list_visible_to(*, user: Reader, organization_id: Any = None, kind: str = "",
                         closed: bool = False) -> QuerySet[ServiceSite]:
    """Sites of the user's subtree (open ones, or the closed ones), optionally of one organisation."""
    rows = access.visible(user, ServiceSite.objects.select_related("organization", "contact"))
    if organization_id:
        rows = access.within(rows, access.get(user, Organization.objects.all(), organization_id))
    if kind:
        rows = rows.filter(kind=kind)
    rows = rows.filter(closed_on__isnull=not closed)
    return rows.order_by("organization__path", "kind", "name", "id")


def site_get_for_user(*, user: Reader, site_id: Any) -> ServiceSite:
    return access.get(user, ServiceSite.objects.select_related("organization", "contact"), site_id)


def federation_choices(*, user: Reader) -> QuerySet[Organization]:
    """The open federations the user reaches (a site or a round belongs to one)."""
    return access.visible(user, Organization.objects.filter(
        kind__in=Organization.FEDERATION_KINDS, is_active=True)).order_by("path")


def contact_choices(*, user: Reader) -> QuerySet[Person]:
    """The cadres the user reaches (people holding a position), for a site's contact."""
    return access.visible(user, Person.objects.filter(positions__isnull=False)).distinct().order_by("name", "id")


def health_round_list_visible_to(*, user: Reader, year: int | None = None, kind: str = "",
                                 organization_id: Any = None) -> QuerySet[HealthRound]:
    rows = access.visible(user, HealthRound.objects.select_related("organization"))
    if organization_id:
        rows = access.within(rows, access.get(user, Organization.objects.all(), organization_id))
    if year:
        rows = rows.filter(starts_on__gte=date(year, 1, 1), starts_on__lte=date(year, 12, 31))
    if kind:
        rows = rows.filter(kind=kind)
    return rows.order_by("-starts_on", "-id")


def health_round_get_for_user(*, user: Reader, round_id: Any) -> HealthRound:
    return access.get(user, HealthRound.objects.select_related("organization"), round_id)


@dataclass
class KindTotal:
    kind: str
    label: str
    rounds: int = 0
    served: int = 0
    cervical: int = 0
    breast: int = 0


@dataclass
class YearTotals:
    """A year's health rounds of a subtree, per kind and in all (rounds already begun only)."""

    kinds: list[KindTotal] = field(default_factory=list)
    rounds: int = 0
    served: int = 0
    upcoming: int = 0


def health_year_totals(rows: QuerySet[HealthRound]) -> YearTotals:
    """Totals of these rows per kind (one query); announcements counted apart."""
    today = timezone.localdate()
    found = {row["kind"]: row for row in rows.order_by().values("kind").annotate(
        rounds=Count("pk", filter=Q(starts_on__lte=today)), served=Sum("served"),
        cervical=Sum("cervical_screened"), breast=Sum("breast_screened"),
        upcoming=Count("pk", filter=Q(starts_on__gt=today)))}
    totals = YearTotals()
    for kind, label in HealthKind.choices:
        row = found.get(kind, {})
        line = KindTotal(kind=kind, label=str(label), rounds=row.get("rounds") or 0, served=row.get("served") or 0,
                         cervical=row.get("cervical") or 0, breast=row.get("breast") or 0)
        totals.kinds.append(line)
        totals.rounds += line.rounds
        totals.served += line.served
        totals.upcoming += row.get("upcoming") or 0
    return totals


# --- the portal and the help form ------------------------------------------------------------------

def public_sites() -> QuerySet[ServiceSite]:
    """Public, open sites in tree order (a township's own before its villages'). The contact is
    loaded for `contact_is_public` rows' names; her mobile is never read by a portal template."""
    return access.visible(None, ServiceSite.objects.select_related(
        "organization", "organization__region", "organization__region__parent", "contact"),
        audience=READER).order_by("organization__path", "kind", "name", "id")


@dataclass
class Place:
    """The sites of one organisation, headed by its place (村 under its 乡镇)."""

    organization: Organization
    heading: str
    sites: list[ServiceSite] = field(default_factory=list)


def public_sites_by_place(*, limit: int = 1000) -> tuple[list[Place], list[ServiceSite]]:
    """Public sites grouped by organisation (tree order), and the public lines among them."""
    places: list[Place] = []
    lines: list[ServiceSite] = []
    for site in public_sites()[:limit]:
        org = site.organization
        if not places or places[-1].organization.pk != org.pk:
            # "华阴市 · 太华路街道", "太华路街道 · 郭家村": the place and the one it lies in (the portal
            # spans counties); a county's own sites under its name alone.
            region = org.region
            heading = region.name
            if org.kind != Organization.Kind.COUNTY_FEDERATION and region.parent is not None:
                heading = f"{region.parent.name} · {region.name}"
            places.append(Place(organization=org, heading=heading))
        places[-1].sites.append(site)
        if site.kind == SiteKind.WHISPER_LINE:
            lines.append(site)
    return places, lines


def public_rounds_announced(*, limit: int = 20) -> list[HealthRound]:
    """Health rounds announced on the portal and not yet begun, soonest first."""
    return list(access.visible(None, HealthRound.objects.select_related("organization"), audience=READER)
                .order_by("starts_on", "id")[:limit])


def hotlines_for(organization: Organization) -> list[ServiceSite]:
    """The public 妇女悄悄话 lines of an organisation and of the organisations above it, nearest
    first — for a woman asking for help (the case intake shows them beside 12338). Public data only:
    a row's `phone`, `name` and `hours` may be shown; never its `contact`."""
    chain = access.ancestor_paths(organization.path, organization.steplen)
    rows = access.visible(None, ServiceSite.objects.select_related("organization"), audience=READER).filter(
        kind=SiteKind.WHISPER_LINE, organization__path__in=chain)
    return sorted(rows, key=lambda site: (-site.organization.depth, site.name, site.pk))


# --- figures (kernel.figures) --------------------------------------------------------------------

HEALTH_CODES = {
    "rounds": _("健康服务次数"), "served": _("健康服务妇女人次"),
    "cancer_rounds": _("两癌检查次数"), "cancer_served": _("两癌检查妇女人数"),
    "cervical": _("宫颈癌筛查人数"), "breast": _("乳腺癌筛查人数"),
    "premarital_rounds": _("免费婚检次数"), "premarital_served": _("免费婚检人数"),
    "express_rounds": _("母亲健康快车次数"), "express_served": _("母亲健康快车服务人数"),
}
_KIND_PREFIX = {HealthKind.CANCER_SCREENING: "cancer", HealthKind.PREMARITAL: "premarital",
                HealthKind.MOTHER_EXPRESS: "express"}

SITE_CODES = {"sites": _("服务站点"), **{f"sites_{kind}": label for kind, label in SiteKind.choices}}


def health_figures(ask: figures.Ask) -> figures.Answer:
    """Health rounds begun in the period (up to today) per asked subtree: rounds and women served,
    in all and per kind, and the 两癌 screenings. One query of rows plus one of paths."""
    per_org: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    last = min(ask.end, timezone.localdate())
    held = HealthRound.objects.filter(starts_on__gte=ask.start, starts_on__lte=last)
    for row in figures.within_asked(held, ask).values("organization", "kind").annotate(
            n=Count("pk"), served=Sum("served"), cervical=Sum("cervical_screened"), breast=Sum("breast_screened")):
        counts = per_org[row["organization"]]
        counts["rounds"] += row["n"]
        counts["served"] += row["served"] or 0
        prefix = _KIND_PREFIX.get(row["kind"])
        if prefix:
            counts[f"{prefix}_rounds"] += row["n"]
            counts[f"{prefix}_served"] += row["served"] or 0
        counts["cervical"] += row["cervical"] or 0
        counts["breast"] += row["breast"] or 0
    return figures.rollup_many(per_org, ask.organizations)


def site_figures(ask: figures.Ask) -> figures.Answer:
    """Sites open at the end of the period per asked subtree, in all and per kind (one query of rows)."""
    per_org: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    open_then = ServiceSite.objects.filter(opened_on__lte=ask.end).filter(
        Q(closed_on__isnull=True) | Q(closed_on__gt=ask.end))
    for row in figures.within_asked(open_then, ask).values("organization", "kind").annotate(n=Count("pk")):
        per_org[row["organization"]]["sites"] += row["n"]
        per_org[row["organization"]][f"sites_{row['kind']}"] += row["n"]
    return figures.rollup_many(per_org, ask.organizations)
