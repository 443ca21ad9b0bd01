"""Talent pool reads, always through the access policy: the pool (accepted entries of the acting
subtree), the review queue (what waits for the acting organisation), everything collected, and a
search by kind, skill, trade and place. Constant queries however many entries."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, NamedTuple

from django.db import models
from django.db.models import Count, Q, Sum
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from gongjian.kernel import access, compiled, figures
from gongjian.kernel.models import Organization, User
from gongjian.kernel.selectors import Page, paginate_fetched

from ..models import Talent, TalentFile, TalentKind, TalentState


class TalentList(models.TextChoices):
    """The views of the list: the pool, the queue for review, what the acting organisation collected."""

    POOL = "pool", _("人才库")
    QUEUE = "queue", _("待审核")
    MINE = "mine", _("本单位上报")
    ALL = "all", _("全部")


SCOPES = tuple(TalentList.values)


def place_of(*, user: User, organization_id: Any) -> Organization | None:
    """The place a search is narrowed to (`?place=`): an organisation of the acting subtree."""
    if organization_id in (None, ""):
        return None
    return access.get(user, Organization.objects.all(), organization_id)


#: What a list row shows (`brief`): never the woman's encrypted ID number or mobile, and no model
#: instances — a page of the pool is plain tuples, read by `brief_rows`.
BRIEF_COLUMNS = ("id", "kind", "trade", "enterprise", "jobs", "state", "person__name", "organization__name")
KIND_LABELS = dict(TalentKind.choices)
STATE_LABELS = dict(TalentState.choices)


class TalentRow(NamedTuple):
    """One entry as a list shows it (a named tuple: a page makes 31 of them per request, and a
    frozen dataclass's __init__ costs as much as the database's answer)."""

    id: int
    kind: str
    trade: str
    enterprise: str
    jobs: int
    state: str
    person_name: str
    organization_name: str

    def get_kind_display(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))

    def get_state_display(self) -> str:
        return str(STATE_LABELS.get(self.state, self.state))

    def get_absolute_url(self) -> str:
        return reverse("development:talent-detail", args=[self.id])


def brief_rows(values: Iterable[tuple[Any, ...]]) -> list[TalentRow]:
    return [TalentRow(*row) for row in values]


def talent_list_visible_to(*, user: User, scope: str = "pool", kind: str = "", q: str = "", trade: str = "",
                           place: Organization | None = None, state: str = "",
                           brief: bool = False) -> models.QuerySet[Talent]:
    """Entries in reach. `pool`: accepted ones; `queue`: reported or forwarded to the acting
    organisation; `mine`: collected by the acting organisation itself; `all`: every state.
    `brief`: only the columns a list row shows, as tuples (`brief_rows` makes them rows)."""
    rows = access.visible(user, Talent.objects.all() if brief else
                          Talent.objects.select_related("person", "organization", "holder"))
    acting = access.acting_organization(user)
    rows = _searched(rows, acting_id=acting.pk if acting is not None else None, scope=scope, kind=kind, q=q,
                     trade=trade, place=place.path if place is not None else None, state=state)
    return rows.values_list(*BRIEF_COLUMNS) if brief else rows


def talent_page(*, user: User, page: Any = 1, per_page: Any = 30, scope: str = "pool", kind: str = "",
                q: str = "", trade: str = "", place: Organization | None = None, state: str = "") -> Page:
    """A page of the list as the page shows it (`TalentRow`s): the same rows as
    `talent_list_visible_to(brief=True)`, its SQL compiled once per reach, search and page
    (kernel.compiled, ADR 0033)."""
    acting = access.acting_organization(user)
    search = {"acting_id": acting.pk if acting is not None else None, "scope": scope, "kind": kind, "q": q,
              "trade": trade, "place": place.path if place is not None else None, "state": state}

    def fetch(offset: int, limit: int) -> list[TalentRow]:
        return BRIEF_READ(user, TalentRow, offset=offset, limit=limit, **search)

    return paginate_fetched(fetch, page=page, per_page=per_page)


def _brief_page(rows: models.QuerySet[Talent], *, offset: int, limit: int, **search: Any) -> models.QuerySet[Any]:
    return _searched(rows, **search).values_list(*BRIEF_COLUMNS)[offset : offset + limit]


def _searched(rows: models.QuerySet[Talent], *, acting_id: int | None, scope: str, kind: str, q: str, trade: str,
              place: str | None, state: str) -> models.QuerySet[Talent]:
    """The search over entries already in reach, newest first; `place` is the path of an organisation
    that came through `access.get`. One `filter` call: each one clones the query."""
    where: list[Q] = []
    if scope == "pool":
        where.append(Q(state=TalentState.ACCEPTED))
    elif scope == "queue":
        where.append(Q(holder=acting_id, state__in=(TalentState.REPORTED, TalentState.FORWARDED)))
    elif scope == "mine":
        where.append(Q(organization=acting_id))
    if state in TalentState.values:
        where.append(Q(state=state))
    if kind in TalentKind.values:
        where.append(Q(kind=kind))
    q = (q or "").strip()[:50]
    if q:
        where.append(Q(skills__icontains=q) | Q(trade__icontains=q) | Q(enterprise__icontains=q) | Q(person__name=q))
    trade = (trade or "").strip()[:50]
    if trade:
        where.append(Q(trade__icontains=trade))
    if place is not None:
        where.append(access.within_condition(place))
    return rows.filter(*where).order_by("-id")


BRIEF_READ = compiled.CompiledRead(Talent, _brief_page)


def talent_get_for_user(*, user: User, talent_id: Any) -> Talent:
    return access.get(user, Talent.objects.select_related("person", "organization", "holder", "created_by"),
                      talent_id)


def files_of(talent: Talent) -> list[TalentFile]:
    return list(talent.files.select_related("file"))


def talent_file_get_for_user(*, user: User, file_id: Any) -> TalentFile:
    return access.get(user, TalentFile.objects.select_related("file", "talent__organization"), file_id)


def queue_count(*, user: User) -> int:
    """How many entries wait for the acting organisation's review (the home tile's badge)."""
    acting = access.acting_organization(user)
    if acting is None:
        return 0
    return access.visible(user, Talent.objects.filter(
        holder=acting, state__in=(TalentState.REPORTED, TalentState.FORWARDED))).count()


EXPORT_HEADERS = ("序号", "姓名", "身份证号", "手机号", "人才类别", "从事行业", "专长技能", "企业或合作社",
                  "年收入（万元）", "带动就业（人）", "上报单位", "状态", "入库时间")


def export_rows(rows: models.QuerySet[Talent]) -> Iterator[Sequence[object]]:
    """The rows of the annual 人才库 report; ID numbers and mobiles masked."""
    for n, talent in enumerate(rows.iterator(chunk_size=500), start=1):
        person = talent.person
        yield (n, person.name, person.id_number_masked, person.mobile_masked, talent.get_kind_display(),
               talent.trade, talent.skills, talent.enterprise, talent.income, talent.jobs, talent.organization.name,
               talent.get_state_display(), talent.accepted_at)


def figures_provide(ask: figures.Ask) -> figures.Answer:
    """Per asked subtree (by the reporting organisation): entries reported in the period, entries
    accepted in the period, the pool at the period's end and the jobs its entries created. Two
    grouped queries and one of paths, however many organisations are asked."""
    counts: dict[int, dict[str, int]] = defaultdict(dict)
    base = figures.within_asked(Talent.objects.all(), ask)
    if ask.wants("reported"):
        reported = (base.filter(reported_at__date__gte=ask.start, reported_at__date__lte=ask.end)
                    .values_list("organization").annotate(n=Count("id")).values_list("organization", "n"))
        for org_id, n in reported:
            counts[org_id]["reported"] = n
    if ask.wants("accepted") or ask.wants("pool") or ask.wants("jobs"):
        accepted = Q(state=TalentState.ACCEPTED)
        rows = (base.filter(accepted, accepted_at__date__lte=ask.end).values_list("organization")
                .annotate(pool=Count("id"), jobs=Sum("jobs"),
                          new=Count("id", filter=Q(accepted_at__date__gte=ask.start)))
                .values_list("organization", "pool", "jobs", "new"))
        for org_id, pool, jobs, new in rows:
            counts[org_id].update({"pool": pool, "jobs": jobs or 0, "accepted": new})
    answer = figures.rollup_many(counts, ask.organizations)
    wanted = [code for code in TALENT_CODES if ask.wants(code)]
    out = {org: {code: values.get(code, 0) for code in wanted if code != "trained"} for org, values in answer.items()}
    if ask.wants("trained"):
        for org, n in trained_figures(ask).items():
            out[org]["trained"] = n
    return out


TALENT_CODES = ("reported", "accepted", "pool", "jobs", "trained")


def place_choices(*, user: User) -> list[Organization]:
    """The federations of the acting subtree a search may be narrowed to."""
    rows = access.visible(user, Organization.objects.filter(kind__in=Organization.FEDERATION_KINDS))
    return list(rows.order_by("path")[:300])


# --- trainings offered above -------------------------------------------------------------------------

from ..models import TrainingNomination, TrainingOffer, TrainingQuota  # noqa: E402


def offer_list_visible_to(*, user: User) -> models.QuerySet[TrainingOffer]:
    return access.visible(user, TrainingOffer.objects.select_related("organization")).order_by("-starts_on", "-id")


def offer_get_for_user(*, user: User, offer_id: Any) -> TrainingOffer:
    return access.get(user, TrainingOffer.objects.select_related("organization"), offer_id)


@dataclass(frozen=True)
class QuotaRow:
    township: Organization
    places: int
    nominated: int


def quotas_of(offer: TrainingOffer) -> list[QuotaRow]:
    """Each township's places and how many it has nominated (two queries)."""
    used = dict(offer.nominations.values_list("township").annotate(n=Count("id")).values_list("township", "n"))
    return [QuotaRow(q.township, q.places, used.get(q.township_id, 0))
            for q in TrainingQuota.objects.filter(offer=offer).select_related("township")]


def nominations_visible_to(*, user: User, offer: TrainingOffer) -> list[TrainingNomination]:
    return list(access.visible(user, offer.nominations.select_related("talent__person", "talent__organization",
                                                                      "township")))


def nomination_get_for_user(*, user: User, nomination_id: Any) -> TrainingNomination:
    return access.get(user, TrainingNomination.objects.select_related("offer", "talent__person"), nomination_id)


def nominees_for(*, user: User, offer: TrainingOffer) -> list[Talent]:
    """Women of the acting organisation's pool not yet nominated to this training (at most 200)."""
    acting = access.acting_organization(user)
    if acting is None:
        return []
    rows = access.within(access.visible(user, Talent.objects.filter(state=TalentState.ACCEPTED)), acting)
    if offer.kind:
        rows = rows.filter(kind=offer.kind)
    return list(rows.exclude(trainings__offer=offer).select_related("person", "organization")
                .order_by("organization__path", "id")[:200])


def trainings_of(*, user: User, talent: Talent) -> list[TrainingNomination]:
    """The trainings she was nominated to, with attendance (on her talent record)."""
    return list(access.visible(user, talent.trainings.select_related("offer", "township"))
                .order_by("-offer__starts_on"))


def trained_figures(ask: figures.Ask) -> dict[int, int]:
    """Distinct women who attended a training that ended in the period, per asked subtree (by her
    village): one query and one of paths."""
    pairs = (figures.within_asked(TrainingNomination.objects.all(), ask, via="talent__organization")
             .filter(attended=True, offer__ends_on__gte=ask.start, offer__ends_on__lte=ask.end)
             .values_list("talent__organization", "talent__person").distinct())
    return figures.rollup_distinct(pairs, ask.organizations)
