"""Figures: how a body of work offers its counts to the others without being imported by them.

A body of work (womenshome, campaigns, support, development …) *offers* a source of figures in
its `AppConfig.ready()`:

    figures.offer(Source("womenshome", _("妇女之家"), {"activities": _("活动次数"), …}, provide))

`provide(ask)` answers one `Ask` — many organisations at once, a period and an optional tag (a
campaign's activity line, `Line`) — with `{organization_id: {code: value}}`, each organisation's
figure counting its whole subtree. It must answer in a constant number of queries however many
organisations are asked (`rollup()` turns counts per recording organisation into counts per asked
subtree with one query of paths).

A reader (a campaign page, an assessment's computed indicator, a 公文 draft, the county report)
asks through `read()` / `read_one()` for a user: every asked organisation must lie within her
reach (Http404 otherwise), so figures never leak past the access policy. Codes are namespaced
`"<source>.<code>"` (e.g. `"womenshome.trainings"`); `catalogue()` lists them with their labels
for a form's choices.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db import models
from django.http import Http404
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from . import access
from .models import Organization

Number = int | Decimal


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


@dataclass(frozen=True)
class Figure:
    code: str  # "<source>.<code>"
    label: str
    value: Number


_SOURCES: dict[str, Source] = {}


def offer(source: Source) -> None:
    """Register a source (idempotent by name: `ready()` may run twice in tests)."""
    _SOURCES[source.name] = source


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
    answer to some qualified codes (each source is asked only for its own); missing values are 0."""
    _check_reach(user, organizations)
    wanted: dict[str, set[str]] | None = None
    if codes is not None:
        wanted = defaultdict(set)
        for qualified in codes:
            name, _sep, code = qualified.partition(".")
            wanted[name].add(code)
    out: dict[int, dict[str, Number]] = {org.pk: {} for org in organizations}
    for source in _SOURCES.values():
        if wanted is not None and source.name not in wanted:
            continue
        own = frozenset(wanted[source.name]) if wanted is not None else None
        answer = source.provide(Ask(organizations=organizations, start=start, end=end, tag=tag, codes=own))
        for org in organizations:
            got = answer.get(org.pk, {})
            for code in source.codes:
                if own is not None and code not in own:
                    continue
                if tag and code not in source.taggable:
                    continue
                out[org.pk][f"{source.name}.{code}"] = got.get(code, 0)
    return out


def read_one(*, user: access.Reader, organization: Organization, start: date, end: date,
             tag: str = "", codes: Iterable[str] | None = None) -> list[Figure]:
    """One organisation's figures as labelled rows, in the order the sources offer them."""
    values = read(user=user, organizations=[organization], start=start, end=end, tag=tag, codes=codes)
    return [Figure(code=code, label=label_of(code), value=value)
            for code, value in values[organization.pk].items()]


def rollup(counts: Mapping[int, Number], organizations: Sequence[Organization]) -> dict[int, Number]:
    """Counts per recording organisation → counts per asked organisation's subtree.

    One query (the paths of the organisations that recorded something); each recording
    organisation adds to every asked organisation that is it or lies above it."""
    asked: dict[str, list[int]] = defaultdict(list)
    for org in organizations:
        asked[org.path].append(org.pk)
    out: dict[int, Number] = {org.pk: 0 for org in organizations}
    if not counts:
        return out
    steplen = Organization.steplen
    paths = dict(Organization.objects.filter(pk__in=list(counts)).values_list("pk", "path"))
    for org_id, value in counts.items():
        path = paths.get(org_id)
        if path is None or not value:
            continue
        for prefix in access.ancestor_paths(path, steplen):
            for target in asked.get(prefix, ()):
                out[target] += value
    return out


def rollup_many(counts: Mapping[int, Mapping[str, Number]],
                organizations: Sequence[Organization]) -> dict[int, dict[str, Number]]:
    """`rollup()` for several codes at once: `{recording_org: {code: n}}` → `{asked_org: {code: n}}`."""
    per_code: dict[str, dict[int, Number]] = defaultdict(dict)
    for org_id, values in counts.items():
        for code, value in values.items():
            per_code[code][org_id] = value
    out: dict[int, dict[str, Number]] = {org.pk: {} for org in organizations}
    for code, by_org in per_code.items():
        for target, value in rollup(by_org, organizations).items():
            out[target][code] = value
    return out
