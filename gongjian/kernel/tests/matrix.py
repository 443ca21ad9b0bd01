"""Records of the kernel for the role x route matrix (test_matrix.py): one maker per record type,
each making a record owned by a given place's organisation."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any

from django.contrib.contenttypes.models import ContentType

from gongjian.kernel.identity import generate_id_number
from gongjian.kernel.models import (
    ApiToken,
    Notification,
    Objection,
    Organization,
    Pairing,
    PairingMeeting,
    PairingPurpose,
    Person,
    Position,
    PublicNotice,
    PushChannel,
    StoredFile,
    User,
)

SEQ = itertools.count(400)  # numbers for names, ID numbers and tokens; shared by every app's makers


class Place:
    """A village, township or county of the demo, with its federation and party organisations."""

    def __init__(self, name: str) -> None:
        self.name = name
        orgs = Organization.objects.filter(region__name=name).order_by("depth")
        self.federation = orgs.filter(kind__in=Organization.FEDERATION_KINDS).first()
        self.party = orgs.filter(kind__in=Organization.PARTY_KINDS).first()
        assert self.federation is not None and self.party is not None, name
        self.region = self.federation.region

    def __repr__(self) -> str:
        return self.name


def person(place: Place) -> Person:
    n = next(SEQ)
    birth = date(1985, 3, 8) + timedelta(days=n // 500)
    return Person.objects.create(
        name="矩阵测试", gender="F", birth_date=birth,
        id_number=generate_id_number(place.region.code[:6], birth, "F", n % 500),
        mobile=f"139{next(SEQ):08d}", ethnicity="汉族", organization=place.federation,
        home_region=place.region)


def stored_file(org: Organization) -> StoredFile:
    from gongjian.kernel.attachments import file_path

    n = next(SEQ)
    found = StoredFile.objects.create(
        token=f"matrix{n:026d}", original_name="附件.pdf", content_type="application/pdf", extension="pdf",
        size=1, sha256="0" * 64, storage_name=f"matrix{n}", organization=org)
    path = file_path(found)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"%")
    return found


def notice(place: Place, record: Any) -> PublicNotice:
    today = date.today()
    return PublicNotice.objects.create(
        content_type=ContentType.objects.get_for_model(type(record)), object_id=str(record.pk),
        organization=place.federation, title="公示", body="公示内容", days=5, starts_on=today,
        ends_on=today + timedelta(days=5))


def objection(place: Place) -> Objection:
    found = Objection(notice=notice(place, place.federation), content="异议内容")
    found.issue_credentials()
    found.save()
    return found


def pairing(place: Place) -> Pairing:
    today = date.today()
    return Pairing.objects.create(organization=place.federation, kind=PairingPurpose.DEVELOPMENT,
                                  mentor=person(place), mentee=person(place), started_on=today, due_on=today)


def api_token(place: Place) -> ApiToken:
    """A token of an account of the place (its federation's lead, or a new staff account)."""
    account = User.objects.filter(person__positions__organization=place.federation).first()
    if account is None:
        account = User.objects.create_user(username=f"matrix-{place.federation.pk}", password=None)
    token, _key = ApiToken.issue(user=account, position=None, ttl=timedelta(hours=1))
    return token


def push_channel(place: Place) -> PushChannel:
    """Where an account of the place (its federation's lead, or a new one) has her 待办 pushed."""
    account = User.objects.filter(person__positions__organization=place.federation).first()
    if account is None:
        account = User.objects.create_user(username=f"matrix-push-{place.federation.pk}", password=None)
    channel, _made = PushChannel.objects.get_or_create(user=account, kind=PushChannel.Kind.SMS,
                                                       defaults={"address": "13900001111"})
    return channel


def persona(username: str) -> User:
    """A demo user acting in her first current position, as the middleware sets it."""
    from gongjian.kernel.context import Acting

    user = User.objects.get(username=username)
    positions = list(user.current_positions())
    user.positions = positions
    user.acting = Acting(positions[0]) if positions else None
    return user


RECORDS: dict[type, Callable[[Place], Any]] = {
    Organization: lambda place: place.federation,
    Person: person,
    Position: lambda place: Position.objects.create(
        person=person(place), organization=place.federation, title="委员", role=Position.Role.MEMBER,
        start_date=date(2021, 1, 1)),
    Notification: lambda place: Notification.objects.create(
        organization=place.federation, code="matrix", message="提醒"),
    StoredFile: lambda place: stored_file(place.federation),
    Objection: objection,
    PublicNotice: lambda place: notice(place, place.federation),
    Pairing: lambda place: pairing(place),
    ApiToken: api_token,
    PushChannel: push_channel,
    PairingMeeting: lambda place: PairingMeeting.objects.create(pairing=pairing(place), date=date.today(),
                                                                content="矩阵测试帮带", photo=stored_file(place.federation)),
}
