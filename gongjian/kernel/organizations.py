"""The rule book of the organisation tree maintained in the app (issue 9): which kind of unit may
sit under which, where a new unit is placed, and what its name must not clash with. The services
(`kernel.services.organization_*`, `position_*`) ask here; forms only show and collect.

A unit is closed, never deleted: records refer to it (people, positions, campaigns, audit).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext as _

from .models import Organization, Position, Region

Kind = Organization.Kind
Level = Region.Level
TOP = None  # a root of the forest: the system admin's to create

FEDERATIONS = tuple(Organization.FEDERATION_KINDS)

#: child kind -> the kinds it may sit under (TOP: at the top of the tree).
ALLOWED_UNDER: dict[str, tuple[str | None, ...]] = {
    Kind.COUNTY_FEDERATION: (TOP,),
    Kind.TOWNSHIP_FEDERATION: (Kind.COUNTY_FEDERATION,),
    Kind.VILLAGE_FEDERATION: (Kind.TOWNSHIP_FEDERATION,),
    Kind.PARTY_COMMITTEE: (TOP, Kind.PARTY_COMMITTEE),
    Kind.PARTY_BRANCH: (Kind.PARTY_COMMITTEE,),
    # 各级妇联组织要相应成立领导小组 (第三篇 五); the party line's too (第四篇).
    Kind.LEADING_GROUP: (*FEDERATIONS, Kind.PARTY_COMMITTEE, Kind.PARTY_BRANCH),
    # 领导小组下设办公室.
    Kind.OFFICE: (Kind.LEADING_GROUP,),
    # 各党支部要迅速成立以党支部书记任组长的工作小组 (第四篇).
    Kind.WORK_GROUP: (*FEDERATIONS, Kind.PARTY_COMMITTEE, Kind.PARTY_BRANCH, Kind.LEADING_GROUP),
    # 在非公有制经济领域建立灵活多样的妇联组织 (第三篇 六).
    Kind.ENTERPRISE_COMMITTEE: (Kind.COUNTY_FEDERATION, Kind.TOWNSHIP_FEDERATION, Kind.PARTY_COMMITTEE),
}

#: Kinds that stand for a place of their own (a township, a village or community): a new one comes
#: with its Region, one level below the parent's place. The others sit in their parent's place.
PLACED = frozenset({Kind.COUNTY_FEDERATION, Kind.TOWNSHIP_FEDERATION, Kind.VILLAGE_FEDERATION,
                    Kind.PARTY_COMMITTEE, Kind.PARTY_BRANCH})
#: The level of a new place under the parent's place's level (None: a root, a county).
LEVEL_BELOW: dict[str | None, tuple[str, ...]] = {
    None: (Level.COUNTY,),
    Level.COUNTY: (Level.TOWNSHIP,),
    Level.TOWNSHIP: (Level.VILLAGE, Level.COMMUNITY),
}
#: Significant digits of a division code per level (GB/T 2260 and 统计用区划代码).
CODE_DIGITS = {Level.PROVINCE: 2, Level.CITY: 4, Level.COUNTY: 6, Level.TOWNSHIP: 9,
               Level.VILLAGE: 12, Level.COMMUNITY: 12}

#: Titles offered on the position form (any other may be typed).
TITLES = ("组长", "常务副组长", "副组长", "成员", "办公室主任", "办公室副主任", "主席", "副主席",
          "妇女主任", "主任", "副主任", "委员", "执委", "工作人员")


def kinds_under(parent: Organization | None) -> list[str]:
    """The kinds a new unit under `parent` (None: at the top) may have, in the Kind order."""
    parent_kind = parent.kind if parent is not None else TOP
    return [kind for kind in Kind.values if parent_kind in ALLOWED_UNDER[kind]]


def needs_place(kind: str) -> bool:
    """A new unit of this kind comes with a place (region) of its own: a federation or party
    organisation one level down (a committee under a county's committee is a township's)."""
    return kind in PLACED


def role_for_title(title: str) -> str:
    """The role a title usually carries (组长/主任/主席/书记 lead, 副… deputy, 成员/委员 member)."""
    title = title.strip()
    if title.startswith(("副", "常务副")) or "副" in title[:4]:
        return Position.Role.DEPUTY
    if title in ("成员", "委员", "执委", "组员"):
        return Position.Role.MEMBER
    if title.endswith(("组长", "主任", "主席", "书记")):
        return Position.Role.LEAD
    return Position.Role.STAFF


SORT_BY_ROLE: dict[str, int] = {Position.Role.LEAD: 1, Position.Role.DEPUTY: 2, Position.Role.STAFF: 5, Position.Role.MEMBER: 10}


def check_kind(kind: str, parent: Organization | None) -> None:
    if kind not in Kind.values:
        raise ValidationError({"kind": _("请选择组织类型。")})
    if kind not in kinds_under(parent):
        label = Kind(kind).label
        if parent is None:
            raise ValidationError({"kind": _("%(kind)s不能作为顶级组织。") % {"kind": label}})
        raise ValidationError({"kind": _("%(parent)s（%(parent_kind)s）之下不能设立%(kind)s。") % {
            "parent": parent.name, "parent_kind": parent.get_kind_display(), "kind": label}})


def check_open(organization: Organization) -> None:
    if not organization.is_active:
        raise ValidationError(_("“%(name)s”已于%(day)s撤销，不能再办理。") % {
            "name": organization.name, "day": organization.closed_on})


def clean_name(name: str, field: str = "name") -> str:
    name = " ".join((name or "").split())
    if len(name) < 2:
        raise ValidationError({field: _("请填写名称（至少2个字）。")})
    if len(name) > 100:
        raise ValidationError({field: _("名称不能超过100个字。")})
    return name


def check_name_free(name: str, region: Region, *, exclude: int | None = None) -> None:
    """Name unique per place: no other organisation of the place, closed ones included (a closed
    one keeps its name on the records that refer to it)."""
    clash = Organization.objects.filter(region=region, name=name)
    if exclude is not None:
        clash = clash.exclude(pk=exclude)
    found = clash.first()
    if found is not None:
        closed = _("（已撤销）") if not found.is_active else ""
        raise ValidationError({"name": _("%(place)s已有名为“%(name)s”的组织%(closed)s，请换一个名称。") % {
            "place": region.name, "name": name, "closed": closed}})


@dataclass(frozen=True)
class NewPlace:
    """The place a new federation or party organisation stands for: an existing region or one to
    create, found by its 12-digit code."""

    code: str
    name: str


def place_for(kind: str, parent: Organization | None, place: NewPlace | None) -> Region:
    """The region of a new unit: its parent's place, or (for a placed kind) the place given, found
    or made one level below the parent's place. Raises ValidationError in Chinese."""
    if not needs_place(kind):
        assert parent is not None  # every unplaced kind sits under a parent (ALLOWED_UNDER)
        return parent.region
    if place is None or not place.code.strip():
        raise ValidationError({"region_code": _("请填写所在地的12位区划代码。")})
    code = place.code.strip()
    if not re.fullmatch(r"\d{12}", code):
        raise ValidationError({"region_code": _("区划代码应为12位数字。")})
    above = parent.region if parent is not None else None
    levels = LEVEL_BELOW.get(above.level if above is not None else None, ())
    if kind == Kind.PARTY_COMMITTEE and parent is not None and above is not None and above.level == Level.TOWNSHIP:
        levels = ()
    if not levels:
        raise ValidationError({"kind": _("“%(parent)s”所在的%(place)s之下不能再设立此类组织。") % {
            "parent": parent.name if parent is not None else "", "place": above.name if above else ""}})
    if above is not None:
        digits = CODE_DIGITS[above.level]
        if code[:digits] != above.code[:digits] or code == above.code:
            raise ValidationError({"region_code": _("区划代码应以上级“%(place)s”的代码前%(n)s位（%(prefix)s）开头。") % {
                "place": above.name, "n": digits, "prefix": above.code[:digits]}})
    existing = Region.objects.filter(code=code).first()
    name = " ".join((place.name or "").split())
    if existing is not None:
        if existing.level not in levels or (above is not None and existing.parent_id != above.pk):
            raise ValidationError({"region_code": _("区划代码%(code)s已登记为“%(name)s”，与上级不符。") % {
                "code": code, "name": existing.name}})
        if name and name != existing.name:
            raise ValidationError({"region_name": _("区划代码%(code)s已登记为“%(name)s”。") % {
                "code": code, "name": existing.name}})
        return existing
    if len(name) < 2:
        raise ValidationError({"region_name": _("请填写所在地名称（村、社区或乡镇街道）。")})
    level: str = levels[0]
    if len(levels) > 1:
        level = Level.COMMUNITY if name.endswith("社区") else Level.VILLAGE
    if above is None:
        # A new county: under its city when the city is registered.
        above = Region.objects.filter(code=code[:4] + "0" * 8).first()
    return Region.objects.create(code=code, name=name[:100], level=level, parent=above)


def check_one_per_place(kind: str, region: Region) -> None:
    """A place has one federation and one party organisation of a kind (a second 小留村妇联 is a
    mistake; a closed one is history and does not count)."""
    if kind in PLACED and Organization.objects.filter(region=region, kind=kind, is_active=True).exists():
        raise ValidationError({"region_code": _("%(place)s已有在用的%(kind)s。") % {
            "place": region.name, "kind": Kind(kind).label}})


def open_children(organization: Organization) -> list[Organization]:
    return list(Organization.objects.filter(path__startswith=organization.path, depth=organization.depth + 1,
                                            is_active=True).order_by("path"))


def end_day(position: Position, closing: date) -> date:
    """The last day of a term that stops before `closing`: the day before, or (for a term that had
    not begun) the day before it would have begun — a term never held, still on record."""
    last = closing - timedelta(days=1)
    return last if position.start_date <= last else position.start_date - timedelta(days=1)


def current_or_future(organization: Organization, day: date) -> Q:
    """Positions of the organisation that still run on `day` or later."""
    return Q(organization=organization) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
