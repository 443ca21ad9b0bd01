"""Records of womenshome for the role x route matrix (kernel/tests/test_matrix.py)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from gongjian.kernel.models import Objection
from gongjian.kernel.tests.matrix import SEQ, Place, notice, person, stored_file
from gongjian.womenshome.models import (
    Activity,
    ActivityKind,
    ActivityPhoto,
    Attendance,
    Honour,
    HonourKind,
    SignIn,
    SitePhoto,
    Team,
    TeamKind,
    TeamMember,
    WomensHome,
)


def activity(place: Place) -> Activity:
    when = date(2026, 5, 20)
    return Activity.objects.create(organization=place.federation, kind=ActivityKind.AGRI_TRAINING,
                                   title="矩阵测试培训", date=when, month=when.replace(day=1))


def team(place: Place) -> Team:
    return Team.objects.create(organization=place.federation, name=f"矩阵测试队{next(SEQ)}", kind=TeamKind.YANGGE)


def honour(place: Place) -> Honour:
    return Honour.objects.create(organization=place.federation, quota_organization=place.federation,
                                 kind=HonourKind.LEARNING_FAMILY, year=2026, person=person(place),
                                 public_name="某家庭", deeds="事迹")


def honour_objection(place: Place) -> Objection:
    found = Objection(notice=notice(place, honour(place)), content="异议内容")
    found.issue_credentials()
    found.save()
    return found


RECORDS: dict[type, Callable[[Place], Any]] = {
    WomensHome: lambda place: WomensHome.objects.get_or_create(
        organization=place.federation, defaults={"name": "矩阵测试妇女之家"})[0],
    Team: team,
    TeamMember: lambda place: TeamMember.objects.create(team=team(place), person=person(place)),
    Activity: activity,
    ActivityPhoto: lambda place: ActivityPhoto.objects.create(activity=activity(place),
                                                              file=stored_file(place.federation)),
    SitePhoto: lambda place: SitePhoto.objects.create(site=RECORDS[WomensHome](place),
                                                      file=stored_file(place.federation)),
    Attendance: lambda place: Attendance.objects.create(activity=activity(place), person=person(place)),
    SignIn: lambda place: SignIn.objects.create(activity=activity(place), name="签到人",
                                                state=SignIn.State.PENDING),
    Honour: honour,
    Objection: honour_objection,
}
