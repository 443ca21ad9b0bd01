"""Fixtures for womenshome tests: records of 小留村 that every scoping and permission test uses."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from gongjian.kernel import notices
from gongjian.womenshome import services
from gongjian.womenshome.models import HonourKind, SignIn, Team, WomensHome

from .factories import make_activity, png, residents


@pytest.fixture
def xiaoliu(acting, org) -> dict[str, Any]:
    """A 小留村 training with attendance, a photo and a held sign-in; a nomination on notice with
    an objection; the village's site and team."""
    director = acting("xiaoliu_women")
    village = org("小留村妇联")
    activity = make_activity(director, village)
    people = residents("小留村妇联")
    attendance = services.attendance_add(actor=director, activity=activity, person=people[0])
    photo = services.activity_add_photo(actor=director, activity=activity, upload=png(), caption="合影")
    signin = SignIn.objects.create(activity=activity, name="新来的", gender="F", mobile="13912345678",
                                   state=SignIn.State.PENDING)
    honour = services.honour_nominate(actor=director, data={
        "organization": village, "kind": HonourKind.LEARNING_FAMILY, "year": timezone.localdate().year, "person": people[1],
        "public_name": "", "deeds": "全家爱读书，带动邻里办起农家书屋，经常组织读书会。"})
    services.honour_review(actor=acting("taihua_fed"), honour=honour, approve=True)
    notice = notices.notice_for(honour)
    objection, password = notices.objection_submit(notice=notice, content="听说这家人并不常读书，请核实。")
    team = Team.objects.get(name="小留村妇女秧歌队")
    site = WomensHome.objects.get(organization=village)
    site_photo = services.site_add_photo(actor=director, site=site, upload=png(), caption="阵地")
    return {
        "activity": activity, "attendance": attendance, "photo": photo, "signin": signin, "honour": honour,
        "notice": notice, "objection": objection, "objection_password": password, "team": team,
        "member": team.members.first(), "site": site, "site_photo": site_photo, "people": people,
    }
