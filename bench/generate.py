"""Generate a county at scale: townships, villages (a women's federation and a party branch
each), people with valid, unique ID numbers and mobiles, and staff accounts.

Composable: `generate_county` builds places and organisations and returns a `County`;
`generate_people(county, n)` adds people to it (call it as often as you like: the county's
serial counter keeps ID numbers and mobiles unique); `add_staff_account` adds a cadre with a
position and an account; `load_county(code)` rebuilds a `County` from an existing database so a
later process can add more. `generate(villages=, people=)` does all of it.

People are written with `bulk_create`, which goes through `Field.pre_save` and
`get_prep_value` (Django's SQLInsertCompiler), so `BlindIndexField` fills the blind index and
`EncryptedTextField` stores SM4 ciphertext exactly as `save()` would; `check_person_storage`
proves it on a stored row. `bulk_create` writes no django-simple-history rows, which a
benchmark does not need.

Must run with Django configured (bench.settings or any project settings).
"""

from __future__ import annotations

import random
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from itertools import islice
from typing import Any

from django.db import transaction
from django.utils import timezone

from gongjian.kernel.demo import GIVEN_F, GIVEN_M, SURNAMES
from gongjian.kernel.identity import generate_id_number
from gongjian.kernel.models import Organization, Person, PoliticalStatus, Position, Region, User

Kind = Organization.Kind

#: Password of every generated account (benchmark data only, never a real install).
BENCH_PASSWORD = "Bench-Passw0rd!x"
DEFAULT_COUNTY_CODE = "610526000000"  # 陕西省渭南市蒲城县 (a real statistical code)
DEFAULT_COUNTY_NAME = "蒲城县"
VILLAGES_PER_TOWNSHIP = 20

# ID numbers: person serial k -> (birth date, gender, 3-digit order) is a bijection, so ID
# numbers never collide however many times generate_people is called.
_BIRTH_START = date(1940, 1, 1)
_BIRTH_SPAN_DAYS = 24_800  # to 2007-11; 24,800 = 2^5 * 5^2 * 31, coprime with the stride
_BIRTH_STRIDE = 7_919  # prime: spreads consecutive serials over the whole span
MAX_PEOPLE = 500 * 2 * _BIRTH_SPAN_DAYS
# Mobiles: a multiplier coprime with 10 makes k -> k * M mod 10^9 a bijection.
_MOBILE_MULTIPLIER = 7_654_321

_GIVEN_F = [GIVEN_F[i : i + 2] for i in range(0, len(GIVEN_F) - 1, 2)]
_GIVEN_M = [GIVEN_M[i : i + 2] for i in range(0, len(GIVEN_M) - 1, 2)]
TOWNSHIP_NAMES = [
    "城关", "罗家", "孙镇", "兴镇", "陈庄", "党睦", "高阳", "龙阳", "洛滨", "椿林", "龙池", "三合", "永丰", "苏坊", "坡头",
    "翔村", "东陈", "尧山", "桥陵", "荆姚",
]


@dataclass
class Village:
    region_id: int
    code: str
    name: str
    federation_id: int
    branch_id: int


@dataclass
class Township:
    region_id: int
    code: str
    name: str
    federation_id: int
    committee_id: int
    villages: list[Village] = field(default_factory=list)


@dataclass
class County:
    """Ids of what `generate_county` made; JSON-able via `as_dict`."""

    code: str
    name: str
    region_id: int
    federation_id: int
    committee_id: int
    townships: list[Township] = field(default_factory=list)
    serial: int = 0  # next person serial
    accounts: dict[str, str] = field(default_factory=dict)  # "county"/"village" -> username

    @property
    def villages(self) -> list[Village]:
        return [v for t in self.townships for v in t.villages]

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code, "name": self.name, "region_id": self.region_id,
            "federation_id": self.federation_id, "committee_id": self.committee_id,
            "townships": len(self.townships), "villages": len(self.villages),
            "village_federation_ids": [v.federation_id for v in self.villages[:5]],
            "people_serial": self.serial, "accounts": dict(self.accounts),
        }


# --- places and organisations -----------------------------------------------------------------

def _region(code: str, name: str, level: str, parent: Region | None) -> Region:
    region, _ = Region.objects.get_or_create(
        code=code, defaults={"name": name, "level": level, "parent": parent}
    )
    return region


@transaction.atomic
def generate_county(
    *, villages: int = 200, code: str = DEFAULT_COUNTY_CODE, name: str = DEFAULT_COUNTY_NAME,
    villages_per_township: int = VILLAGES_PER_TOWNSHIP,
) -> County:
    """Regions (province, city, county, townships, villages, 12-digit codes) and two trees:
    county federation > township federations > village federations, and county party committee >
    township party committees > village party branches. Uses treebeard's add_root/add_child."""
    if len(code) != 12 or not code.isdigit():
        raise ValueError("county code must be 12 digits")
    if villages < 1:
        raise ValueError("at least one village")
    n_townships = -(-villages // villages_per_township)
    if n_townships > 899 or villages_per_township > 799:
        raise ValueError("too many townships or villages for 3-digit codes")
    province = _region(code[:2] + "0" * 10, "陕西省" if code.startswith("61") else f"省{code[:2]}",
                       Region.Level.PROVINCE, None)
    city = _region(code[:4] + "0" * 8, "渭南市" if code.startswith("6105") else f"市{code[:4]}",
                   Region.Level.CITY, province)
    county_region = _region(code, name, Region.Level.COUNTY, city)
    short = name.rstrip("县市区")

    federation = Organization.objects.add_root(
        {"name": f"{name}妇联", "kind": Kind.COUNTY_FEDERATION, "region": county_region})
    committee = Organization.objects.add_root(
        {"name": f"中共{name}委员会", "kind": Kind.PARTY_COMMITTEE, "region": county_region})
    county = County(code=code, name=name, region_id=county_region.pk,
                    federation_id=federation.pk, committee_id=committee.pk)

    # Township and village regions in two bulk inserts.
    t_regions = []
    for t in range(n_townships):
        t_name = (TOWNSHIP_NAMES[t] if t < len(TOWNSHIP_NAMES) else f"{short}{t + 1:03d}") + "镇"
        t_regions.append(Region(code=f"{code[:6]}{100 + t:03d}000", name=t_name,
                                level=Region.Level.TOWNSHIP, parent=county_region))
    Region.objects.bulk_create(t_regions)
    t_regions = list(Region.objects.filter(code__in=[r.code for r in t_regions]).order_by("code"))
    v_regions = []
    for i in range(villages):
        t_region = t_regions[i // villages_per_township]
        v = i % villages_per_township
        # Zero-padded names sort in creation order, so treebeard appends without moving siblings.
        v_regions.append(Region(code=f"{t_region.code[:9]}{200 + v:03d}",
                                name=f"{t_region.name[:-1]}{v + 1:03d}村",
                                level=Region.Level.VILLAGE, parent=t_region))
    Region.objects.bulk_create(v_regions)
    by_code = {r.code: r for r in Region.objects.filter(code__in=[r.code for r in v_regions])}

    for t_index, t_region in enumerate(t_regions):
        t_fed = Organization.objects.add_child(federation, {
            "name": f"{t_region.name}妇联", "kind": Kind.TOWNSHIP_FEDERATION, "region": t_region})
        t_party = Organization.objects.add_child(committee, {
            "name": f"中共{t_region.name}委员会", "kind": Kind.PARTY_COMMITTEE, "region": t_region})
        township = Township(region_id=t_region.pk, code=t_region.code, name=t_region.name,
                            federation_id=t_fed.pk, committee_id=t_party.pk)
        first = t_index * villages_per_township
        for v_region in v_regions[first : first + villages_per_township]:
            region = by_code[v_region.code]
            fed = Organization.objects.add_child(t_fed, {
                "name": f"{region.name}妇联", "kind": Kind.VILLAGE_FEDERATION, "region": region})
            branch = Organization.objects.add_child(t_party, {
                "name": f"中共{region.name}支部委员会", "kind": Kind.PARTY_BRANCH, "region": region})
            township.villages.append(Village(region_id=region.pk, code=region.code, name=region.name,
                                             federation_id=fed.pk, branch_id=branch.pk))
        county.townships.append(township)
    return county


def load_county(code: str = DEFAULT_COUNTY_CODE) -> County:
    """Rebuild the `County` of an earlier `generate_county` (e.g. in another process)."""
    county_region = Region.objects.get(code=code)
    federation = Organization.objects.get(region=county_region, kind=Kind.COUNTY_FEDERATION)
    committee = Organization.objects.get(region=county_region, kind=Kind.PARTY_COMMITTEE)
    county = County(code=code, name=county_region.name, region_id=county_region.pk,
                    federation_id=federation.pk, committee_id=committee.pk)
    orgs = {(o.region_id, o.kind): o for o in Organization.objects.filter(
        region__code__startswith=code[:6]).exclude(region=county_region)}
    for t_region in Region.objects.filter(parent=county_region).order_by("code"):
        township = Township(region_id=t_region.pk, code=t_region.code, name=t_region.name,
                            federation_id=orgs[t_region.pk, Kind.TOWNSHIP_FEDERATION].pk,
                            committee_id=orgs[t_region.pk, Kind.PARTY_COMMITTEE].pk)
        for v_region in Region.objects.filter(parent=t_region).order_by("code"):
            township.villages.append(Village(
                region_id=v_region.pk, code=v_region.code, name=v_region.name,
                federation_id=orgs[v_region.pk, Kind.VILLAGE_FEDERATION].pk,
                branch_id=orgs[v_region.pk, Kind.PARTY_BRANCH].pk))
        county.townships.append(township)
    county.serial = Person.objects.filter(id_number_index__gt="", home_region__code__startswith=code[:6]).count()
    for key, username in (("county", "bench_county"), ("village", "bench_village")):
        if User.objects.filter(username=username).exists():
            county.accounts[key] = username
    return county


# --- people -----------------------------------------------------------------------------------

def identity_for(county_code: str, serial: int) -> tuple[str, date, str, str]:
    """(ID number, birth date, gender, mobile) of person `serial`: valid and unique per serial."""
    if not 0 <= serial < MAX_PEOPLE:
        raise ValueError("serial out of range")
    seq, rest = serial % 500, serial // 500
    gender = "F" if rest % 2 == 0 else "M"
    day = (rest // 2 * _BIRTH_STRIDE) % _BIRTH_SPAN_DAYS
    birth = _BIRTH_START + timedelta(days=day)
    id_number = generate_id_number(county_code[:6], birth, gender, seq)
    mobile = "1" + "35789"[serial % 5] + f"{serial * _MOBILE_MULTIPLIER % 10**9:09d}"
    return id_number, birth, gender, mobile


def invent_name(rng: random.Random, gender: str) -> str:
    given = rng.choice(_GIVEN_F if gender == "F" else _GIVEN_M)
    return rng.choice(SURNAMES) + (given if rng.random() < 0.8 else given[0])


def _people(county: County, n: int, rng: random.Random, party_share: float) -> Iterator[Person]:
    villages = county.villages
    for _ in range(n):
        serial = county.serial
        county.serial += 1
        village = villages[serial % len(villages)]
        id_number, birth, gender, mobile = identity_for(county.code, serial)
        roll = rng.random()
        if roll < party_share:
            status, party_org = PoliticalStatus.PARTY_MEMBER, village.branch_id
        elif roll < party_share + 0.02:
            status, party_org = PoliticalStatus.ACTIVIST, None
        elif roll < party_share + 0.10:
            status, party_org = PoliticalStatus.LEAGUE_MEMBER, None
        else:
            status, party_org = PoliticalStatus.MASSES, None
        yield Person(
            name=invent_name(rng, gender), gender=gender, birth_date=birth, id_number=id_number,
            mobile=mobile, ethnicity="汉族", political_status=status,
            organization_id=village.federation_id, home_region_id=village.region_id,
            party_organization_id=party_org,
        )


def generate_people(
    county: County, n: int, *, batch_size: int = 5_000, seed: int | None = None,
    party_share: float = 0.08, progress: bool = False,
) -> int:
    """Add `n` people, spread evenly over the county's villages; returns how many were made."""
    if n <= 0:
        return 0
    rng = random.Random(seed if seed is not None else county.serial)
    made, started = 0, time.monotonic()
    rows = _people(county, n, rng, party_share)
    while made < n:
        batch = list(islice(rows, min(batch_size, n - made)))
        with transaction.atomic():
            Person.objects.bulk_create(batch, batch_size=batch_size)
        made += len(batch)
        if progress and (made % (batch_size * 4) == 0 or made == n):
            rate = made / max(time.monotonic() - started, 1e-9)
            print(f"  people: {made:,}/{n:,} ({rate:,.0f}/s)", flush=True)
    return made


def check_person_storage(county: County) -> None:
    """Prove bulk_create stored ciphertext and blind indexes like save() does."""
    from django.db import connection

    from gongjian.kernel.fields import blind_index

    person = Person.objects.filter(home_region__code__startswith=county.code[:6]).order_by("id").first()
    if person is None:
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, mobile, id_number_index, mobile_index FROM kernel_person "
                       "WHERE id = %s", [person.pk])
        raw_id, raw_mobile, id_index, mobile_index = cursor.fetchone()
    assert raw_id.startswith("sm4gcm:") and person.id_number not in raw_id, "id_number not encrypted"
    assert raw_mobile.startswith("sm4gcm:") and person.mobile not in raw_mobile, "mobile not encrypted"
    assert id_index == blind_index(person.id_number, "person.id_number"), "id_number blind index wrong"
    assert mobile_index == blind_index(person.mobile, "person.mobile"), "mobile blind index wrong"


# --- staff ------------------------------------------------------------------------------------

def add_staff_account(
    county: County, *, key: str, username: str, organization_id: int, region_id: int,
    title: str, role: str = Position.Role.LEAD, password: str = BENCH_PASSWORD,
) -> User:
    """A cadre: a person (the next serial), a current position and an account."""
    id_number, birth, gender, mobile = identity_for(county.code, county.serial)
    county.serial += 1
    with transaction.atomic():
        person = Person.objects.create(
            name=invent_name(random.Random(county.serial), "F"), gender=gender, birth_date=birth,
            id_number=id_number, mobile=mobile, political_status=PoliticalStatus.PARTY_MEMBER,
            organization_id=organization_id, home_region_id=region_id,
        )
        Position.objects.create(person=person, organization_id=organization_id, title=title,
                                role=role, sort_order=1, start_date=date(2021, 1, 1))
        user = User(username=username, person=person)
        user.set_password(password)
        user.password_changed_at = timezone.now()
        user.save()
    county.accounts[key] = username
    return user


def add_standard_accounts(county: County) -> None:
    """`bench_county`, LEAD of the county federation (sees every person in the county), and
    `bench_village`, LEAD of the first village's federation."""
    add_staff_account(county, key="county", username="bench_county",
                      organization_id=county.federation_id, region_id=county.region_id, title="主席")
    village = county.villages[0]
    add_staff_account(county, key="village", username="bench_village",
                      organization_id=village.federation_id, region_id=village.region_id,
                      title="妇女主任")


def generate(*, villages: int = 200, people: int = 100_000, progress: bool = False) -> County:
    """The whole county: places, organisations, the two staff accounts, `people` residents."""
    county = generate_county(villages=villages)
    add_standard_accounts(county)
    generate_people(county, people, progress=progress)
    check_person_storage(county)
    return county

