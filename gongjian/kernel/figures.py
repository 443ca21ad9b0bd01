"""Figures: how a body of work offers its counts to the others without being imported by them.

A body of work (womenshome, campaigns, support, development …) *offers* a source of figures in
its `AppConfig.ready()`:

    figures.offer(Source("womenshome", _("妇女之家"), {"activities": _("活动次数"), …}, provide))

`provide(ask)` answers one `Ask` — many organisations at once, a period and an optional tag (a
campaign's activity line, `Line`) — with `{organization_id: {code: value}}`, each organisation's
figure counting its whole subtree. It must answer in a constant number of queries however many
organisations are asked: `within_asked()` narrows its rows to the asked subtrees, it groups them by
the recording organisation in SQL, and `rollup()` / `rollup_many()` turn counts per recording
organisation into counts per asked subtree with one query of paths (`rollup_distinct()` does the
same for distinct members, e.g. people trained). `womenshome.stats.offered` is the worked example.
A test registers its own source with `offer()` and removes it with `withdraw()`.

A reader (a campaign page, an assessment's computed indicator, a 公文 draft, the county report)
asks through `read()` / `read_one()` for a user: every asked organisation must lie within her
reach (Http404 otherwise), so figures never leak past the access policy. Codes are namespaced
`"<source>.<code>"` (e.g. `"womenshome.trainings"`); `catalogue()` lists them with their labels
for a form's choices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TypeVar

from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Organization

Number = int | Decimal
M = TypeVar("M", bound=models.Model)

#: Beyond this many separate asked subtrees `within_asked` narrows by their common ancestor instead
#: of one condition per subtree (the extra rows are dropped by `rollup`).
MAX_SUBTREE_TERMS = 64


class Line(models.TextChoices):
    """The activity lines of 创先争优 (第三篇 四, 第五篇): the tag a record is counted under."""

    STUDY = "study", _("学习讨论座谈")
    CONTRIBUTION = "contribution", _("岗位奉献、巾帼建功")
    LIVELIHOOD = "livelihood", _("服务民生")
    EXEMPLAR = "exemplar", _("典型示范")
    QUALITY = "quality", _("素质提升")
    INNOVATION = "innovation", _("组织创新")


@dataclass(frozen=True)
class Ask:
    """One question: these organisations (each for its subtree), this period, this tag ("" = all)."""

    organizations: Sequence[Organization]
    start: date
    end: date
    tag: str = ""
    codes: frozenset[str] | None = None  # only these codes of the source (None: all)
    # The reader accepts answers from roll-ups the source keeps in step with its records on write
    # (as exact as the records, e.g. womenshome's people trained per month). False: count from the
    # records themselves — `read()` never sets it, it is the reference the roll-ups are tested against.
    rolled: bool = False

    def wants(self, code: str) -> bool:
        return self.codes is None or code in self.codes


Answer = Mapping[int, Mapping[str, Number]]


@dataclass(frozen=True)
class Source:
    """A body of work's figures: its name, its label, the codes it offers and how to answer."""

    name: str
    label: str | Promise
    codes: Mapping[str, str | Promise]
    provide: Callable[[Ask], Answer]
    taggable: frozenset[str] = field(default_factory=frozenset)  # codes that honour `Ask.tag`
    # Counts from 1 to suppress_below - 1 are read as `Suppressed` unless the reader acts for the
    # only organisation they cover (0: never; support's cases use 5, shown as "<5").
    suppress_below: int = 0
    # Codes whose value for a period is the sum of their values for its months (events dated in the
    # period: activities held, cases received); a reader may keep them in monthly roll-ups (the
    # county report does). Empty: nothing is summed — a stock at a date (the pool at the period's
    # end), a distinct count (people trained) or a rate is always counted live.
    additive: frozenset[str] = field(default_factory=frozenset)


class Suppressed(int):
    """A small count withheld from a reader outside the organisation that recorded it: it reads
    "<5" on a page and counts as 0 in any sum or score, so arithmetic never reveals it."""

    below: int

    def __new__(cls, below: int) -> Suppressed:
        obj = super().__new__(cls, 0)
        obj.below = below
        return obj

    def __str__(self) -> str:
        return f"<{self.below}"

    __repr__ = __str__

    def __format__(self, spec: str) -> str:
        return format(str(self), spec) if not spec or spec[-1] == "s" else super().__format__(spec)


def suppress_small(value: Number, below: int) -> Number:
    """`value`, or `Suppressed(below)` when it is a count from 1 to below - 1."""
    return Suppressed(below) if below and 0 < value < below else value


def covers_only_acting(user: access.Reader, organization: Organization) -> bool:
    """True when an organisation's figures stay with the reader: she acts for it and nothing lies below it."""
    acting = access.acting_organization(user)
    return acting is not None and acting.pk == organization.pk and organization.numchild == 0


@dataclass(frozen=True)
class Figure:
    code: str  # "<source>.<code>"
    label: str
    value: Number


_SOURCES: dict[str, Source] = {}


def offer(source: Source) -> None:
    """Register a source (idempotent by name: `ready()` may run twice in tests)."""
    if not source.name or "." in source.name:
        raise ValueError(f"a source's name is a plain word, not {source.name!r}")
    unknown = set(source.taggable) - set(source.codes)
    if unknown:
        raise ValueError(f"{source.name}: taggable codes it does not offer: {sorted(unknown)}")
    unknown = set(source.additive) - set(source.codes)
    if unknown:
        raise ValueError(f"{source.name}: additive codes it does not offer: {sorted(unknown)}")
    _SOURCES[source.name] = source


def withdraw(name: str) -> None:
    """Unregister a source (a test's own source; nothing else needs it)."""
    _SOURCES.pop(name, None)


def sources() -> list[Source]:
    return list(_SOURCES.values())


def catalogue(*, taggable_only: bool = False) -> list[tuple[str, str]]:
    """Every offered figure as (`"source.code"`, "来源：名称") pairs, for choices."""
    out = []
    for source in _SOURCES.values():
        for code, label in source.codes.items():
            if taggable_only and code not in source.taggable:
                continue
            out.append((f"{source.name}.{code}", f"{source.label}：{label}"))
    return out


def label_of(qualified: str) -> str:
    name, _sep, code = qualified.partition(".")
    source = _SOURCES.get(name)
    if source is None or code not in source.codes:
        return qualified
    return str(source.codes[code])


def known(qualified: str) -> bool:
    name, _sep, code = qualified.partition(".")
    return name in _SOURCES and code in _SOURCES[name].codes


def _check_reach(user: access.Reader, organizations: Sequence[Organization]) -> None:
    ids = {org.pk for org in organizations}
    if not ids:
        return
    seen = set(access.visible(user, Organization.objects.filter(pk__in=ids)).values_list("pk", flat=True))
    if seen != ids:
        raise Http404


def read(*, user: access.Reader, organizations: Sequence[Organization], start: date, end: date,
         tag: str = "", codes: Iterable[str] | None = None) -> dict[int, dict[str, Number]]:
    """Figures of each organisation's subtree for the period (and tag): `{org_id: {"src.code": n}}`.

    Every organisation must be within the user's reach (Http404 otherwise). `codes` limits the
    answer to some qualified codes (each source is asked only for its own; a code no source offers
    is left out — check a stored code with `known()`); a value nobody recorded is 0. A source with
    `suppress_below` answers a small count as `Suppressed` (reads "<5", counts as 0) unless the
    reader acts for the very organisation asked and nothing lies below it. With a tag
    (a `Line` value) only the codes that honour it are answered, and a source none of whose codes
    do is not asked at all."""
    if tag and tag not in Line.values:
        raise ValueError(f"unknown tag {tag!r}: a tag is one of figures.Line")
    if isinstance(codes, str):
        codes = [codes]
    _check_reach(user, organizations)
    wanted: dict[str, set[str]] | None = None
    if codes is not None:
        wanted = defaultdict(set)
        for qualified in codes:
            name, _sep, code = qualified.partition(".")
            wanted[name].add(code)
    out: dict[int, dict[str, Number]] = {org.pk: {} for org in organizations}
    if not organizations:
        return out
    for source in _SOURCES.values():
        asked = [code for code in source.codes
                 if (wanted is None or code in wanted.get(source.name, ()))
                 and (not tag or code in source.taggable)]
        if not asked:
            continue
        narrowed = None if len(asked) == len(source.codes) else frozenset(asked)
        answer = source.provide(Ask(organizations=organizations, start=start, end=end, tag=tag, codes=narrowed))
        for org in organizations:
            got = answer.get(org.pk, {})
            below = 0 if not source.suppress_below or covers_only_acting(user, org) else source.suppress_below
            for code in asked:
                out[org.pk][f"{source.name}.{code}"] = suppress_small(got.get(code, 0), below)
    return out


def read_one(*, user: access.Reader, organization: Organization, start: date, end: date,
             tag: str = "", codes: Iterable[str] | None = None) -> list[Figure]:
    """One organisation's figures as labelled rows, in the order the sources offer them."""
    values = read(user=user, organizations=[organization], start=start, end=end, tag=tag, codes=codes)
    return [Figure(code=code, label=label_of(code), value=value)
            for code, value in values[organization.pk].items()]


def _paths(org_ids: Iterable[int]) -> dict[int, str]:
    return dict(Organization.objects.filter(pk__in=list(org_ids)).values_list("pk", "path"))


def _targets(organizations: Sequence[Organization]) -> Callable[[str], list[int]]:
    """For a recording organisation's path: the asked organisations it counts towards (itself and
    every asked ancestor; an organisation asked twice is one target)."""
    asked: dict[str, list[int]] = defaultdict(list)
    for org in organizations:
        if org.pk not in asked[org.path]:
            asked[org.path].append(org.pk)
    steplen = Organization.steplen

    def targets(path: str) -> list[int]:
        return [pk for prefix in access.ancestor_paths(path, steplen) for pk in asked.get(prefix, ())]

    return targets


def rollup(counts: Mapping[int, Number], organizations: Sequence[Organization]) -> dict[int, Number]:
    """Counts per recording organisation → counts per asked organisation's subtree.

    One query (the paths of the organisations that recorded something; none when nothing was
    recorded); each recording organisation adds to every asked organisation that is it or lies
    above it, never to a sibling. An id that is no organisation is ignored; every asked
    organisation is in the answer (0 when nothing below it recorded anything)."""
    return {pk: values.get("", 0) for pk, values in
            rollup_many({org_id: {"": value} for org_id, value in counts.items()}, organizations).items()}


def rollup_many(counts: Mapping[int, Mapping[str, Number]],
                organizations: Sequence[Organization]) -> dict[int, dict[str, Number]]:
    """`rollup()` for several codes at once, still one query: `{recording_org: {code: n}}` →
    `{asked_org: {code: n}}`; a code any recording organisation gave is in every asked row."""
    codes = list(dict.fromkeys(code for values in counts.values() for code in values))
    out: dict[int, dict[str, Number]] = {org.pk: dict.fromkeys(codes, 0) for org in organizations}
    live = [org_id for org_id, values in counts.items() if any(values.values())]
    if not live or not organizations:
        return out
    targets = _targets(organizations)
    for org_id, path in _paths(live).items():
        hit = targets(path)
        if not hit:
            continue
        for code, value in counts[org_id].items():
            if value:
                for target in hit:
                    out[target][code] += value
    return out


def rollup_distinct(members: Iterable[tuple[int, Hashable]],
                    organizations: Sequence[Organization]) -> dict[int, int]:
    """Distinct members per asked subtree from `(recording_org_id, member)` pairs — a person
    trained in two villages is one person trained in their township. One query of paths."""
    pairs = list(members)
    out: dict[int, int] = {org.pk: 0 for org in organizations}
    if not pairs or not organizations:
        return out
    targets = _targets(organizations)
    paths = _paths({org_id for org_id, _member in pairs})
    seen: dict[int, set[Hashable]] = defaultdict(set)
    for org_id, member in pairs:
        path = paths.get(org_id)
        if path is None:
            continue
        for target in targets(path):
            seen[target].add(member)
    for target, found in seen.items():
        out[target] = len(found)
    return out


def within_asked(queryset: models.QuerySet[M], ask: Ask, *, via: str = "organization") -> models.QuerySet[M]:
    """Narrow a source's rows to the asked subtrees (`via` names the recording organisation; ""
    for organisations themselves).

    A subtree inside another asked one adds nothing; past `MAX_SUBTREE_TERMS` separate subtrees
    the rows are narrowed by their deepest common ancestor (`rollup` drops the rest), so the SQL
    stays small for ten thousand organisations."""
    steplen = Organization.steplen
    roots: list[str] = []
    for path in sorted({org.path for org in ask.organizations}):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    if not roots:
        return queryset.none()
    lookup = f"{via}__path__startswith" if via else "path__startswith"
    if len(roots) <= MAX_SUBTREE_TERMS:
        combined = Q()
        for root in roots:
            combined |= Q(**{lookup: root})
        return queryset.filter(combined)
    common = roots[0]
    for root in roots[1:]:
        while not root.startswith(common):
            common = common[:-1]
    common = common[:len(common) // steplen * steplen]
    return queryset.filter(**{lookup: common}) if common else queryset


# --- answers kept by a reader (the county report's monthly roll-ups, reports app) ---------------------


def source_of(qualified: str) -> Source | None:
    """The source offering a qualified code ("cases.received" → the "cases" source), or None."""
    name, _sep, code = qualified.partition(".")
    source = _SOURCES.get(name)
    return source if source is not None and code in source.codes else None


def answer(*, organizations: Sequence[Organization], start: date, end: date,
           codes: Iterable[str], rolled: bool = False) -> dict[int, dict[str, Number]]:
    """The sources' own answer for qualified `codes`: no reach check and no suppression. With
    `rolled` a source may answer from roll-ups it keeps in step on write (`Ask.rolled`).

    For a job that keeps figures (the reports app's monthly roll-ups, filled by a scheduled job
    acting for nobody) and for a reader that adds kept and live parts before suppressing: such a
    reader must have checked the organisations' reach itself (`access.get`, `check_reach`) and
    must pass every value it shows through `shown()`, exactly as `read()` would."""
    wanted: dict[str, set[str]] = defaultdict(set)
    for qualified in codes:
        name, _sep, code = qualified.partition(".")
        if name in _SOURCES and code in _SOURCES[name].codes:
            wanted[name].add(code)
    out: dict[int, dict[str, Number]] = {org.pk: {} for org in organizations}
    if not organizations:
        return out
    for name, asked in wanted.items():
        source = _SOURCES[name]
        narrowed = None if len(asked) == len(source.codes) else frozenset(asked)
        got_all = source.provide(Ask(organizations=organizations, start=start, end=end, codes=narrowed,
                                     rolled=rolled))
        for org in organizations:
            got = got_all.get(org.pk, {})
            for code in source.codes:
                if code in asked:
                    out[org.pk][f"{name}.{code}"] = got.get(code, 0)
    return out


def check_reach(user: access.Reader, organizations: Sequence[Organization]) -> None:
    """Http404 unless every organisation lies within the user's reach (what `read()` checks)."""
    _check_reach(user, organizations)


def shown(user: access.Reader, organization: Organization, qualified: str, value: Number) -> Number:
    """A value of `answer()` as `read()` would give it to this user for this organisation: a small
    count of a suppressing source becomes `Suppressed` unless she acts for that very organisation
    and nothing lies below it."""
    source = source_of(qualified)
    if source is None or not source.suppress_below or covers_only_acting(user, organization):
        return value
    return suppress_small(value, source.suppress_below)
