"""The access policy (Z-01, Z-07): one declaration per record type gives both the list filter and
the object check, and the two always agree."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from django.utils import timezone

from gongjian.disclosure.models import Suggestion
from gongjian.kernel import access
from gongjian.kernel.access import Below, Granted, Handlers, Own, PartyMembers, Subtree
from gongjian.kernel.models import Grant, Organization, Region, User
from gongjian.kernel.tests.matrix import Place, persona
from gongjian.kernel.tests.test_matrix import PERSONAS, makers

pytestmark = pytest.mark.django_db

PLACES = ["小留村", "郭家村", "罗敷村", "灵沙村", "太华路街道", "灵沙乡", "华阴市", "平罗县"]


def test_every_declared_record_types_list_filter_and_object_check_agree() -> None:
    make = makers()
    for model in access.declared_models():
        if model not in make:
            continue
        made = [make[model](Place(name)) for name in PLACES]
        for username in PERSONAS:
            user = persona(username)
            listed = set(access.visible(user, model.objects.filter(pk__in=[m.pk for m in made])))
            checked = {m for m in made if access.may(user, m)}
            assert listed == checked, (model.__name__, username)


def test_a_village_director_reaches_her_village_and_nothing_beside_or_above_it() -> None:
    user = persona("xiaoliu_women")
    orgs = access.visible(user, Organization.objects.all())
    assert {o.name for o in orgs} == {"小留村妇联"}
    with pytest.raises(Http404):
        access.get(user, Organization.objects.all(), Organization.objects.get(name="郭家村妇联").pk)


def test_a_malformed_or_huge_id_is_a_404_not_an_error() -> None:
    user = persona("taihua_fed")
    for pk in ("abc", "9223372036854775808", None, ""):
        with pytest.raises(Http404):
            access.get(user, Organization.objects.all(), pk)


def test_a_record_type_without_a_declared_reach_is_refused_loudly() -> None:
    with pytest.raises(ImproperlyConfigured):
        access.visible(persona("taihua_fed"), Region.objects.all())


def test_strictly_below_leaves_the_roots_own_records_out() -> None:
    user = persona("taihua_fed")
    below = Subtree(strictly_below=True, via=("",))
    names = set(access.visible(user, Organization.objects.all(), reach=below).values_list("name", flat=True))
    assert "太华路街道妇联" not in names and "小留村妇联" in names
    assert not access.may(user, Organization.objects.get(name="太华路街道妇联"), reach=below)


def test_own_reaches_only_the_acting_organisation() -> None:
    user = persona("taihua_fed")
    own = Own(via="")
    assert list(access.visible(user, Organization.objects.all(), reach=own).values_list("name", flat=True)) == [
        "太华路街道妇联"]


def test_party_members_reach_the_items_of_organisations_above_their_branch_only() -> None:
    member = persona("xiaoliu_women")  # a party member of 小留村's branch
    reach = PartyMembers(via="")
    names = set(access.visible(member, Organization.objects.filter(kind__in=Organization.PARTY_KINDS),
                               reach=reach).values_list("name", flat=True))
    assert names == {"中共华阴市委员会", "中共太华路街道委员会", "中共小留村支部委员会"}
    assert not access.may(member, Organization.objects.get(name="中共郭家村支部委员会"), reach=reach)
    assert not access.visible(None, Organization.objects.all(), reach=reach).exists()


def _suggestions(place_names: list[str]) -> list[Suggestion]:
    from gongjian.disclosure.tests.matrix import suggestion

    return [suggestion(Place(name)) for name in place_names]


def test_handlers_reach_their_own_cases_and_the_lead_of_the_handling_organisation_all_of_its() -> None:
    reach = Handlers("assignee")
    mine, other, elsewhere = _suggestions(["小留村", "小留村", "郭家村"])
    handler = persona("taihua_party")  # a committee lead, not of 小留村's branch
    mine.assignee = handler
    mine.save()
    qs = Suggestion.objects.filter(pk__in=[mine.pk, other.pk, elsewhere.pk])
    assert set(access.visible(handler, qs, reach=reach)) == {mine}
    assert access.may(handler, mine, reach=reach) and not access.may(handler, other, reach=reach)
    lead = persona("xiaoliu_branch")  # lead of the organisation handling both 小留村 items
    assert set(access.visible(lead, qs, reach=reach)) == {mine, other}
    assert {s for s in (mine, other, elsewhere) if access.may(lead, s, reach=reach)} == {mine, other}
    assert not access.visible(persona("taihua_fed"), qs, reach=reach).exists()


def test_a_grant_reaches_only_while_it_runs_and_never_beyond_the_acting_subtree() -> None:
    reach = Granted("kernel.view_person", via="")
    user = persona("taihua_fed")
    orgs = Organization.objects.all()
    assert not access.visible(user, orgs, reach=reach).exists()
    grant = Grant.objects.create(
        user=user, permission="kernel.view_person", organization=Organization.objects.get(name="华阴市妇联"),
        expires_at=timezone.now() + timedelta(days=1), reason="测试", granted_by=User.objects.get(username="secadmin"))
    user = persona("taihua_fed")
    names = set(access.visible(user, orgs, reach=reach).values_list("name", flat=True))
    assert "小留村妇联" in names and "罗敷镇妇联" not in names and "华阴市妇联" not in names
    grant.expires_at = timezone.now() - timedelta(seconds=1)
    grant.save()
    assert not access.visible(persona("taihua_fed"), orgs, reach=reach).exists()


def test_anyof_combines_both_answers() -> None:
    user = persona("taihua_fed")
    reach = Own(via="") | Subtree(via="", root=lambda u: Organization.objects.get(name="灵沙乡妇联"))
    names = set(access.visible(user, Organization.objects.all(), reach=reach).values_list("name", flat=True))
    assert "太华路街道妇联" in names and "灵沙村妇联" in names and "小留村妇联" not in names


def test_below_reaches_the_acting_organisation_and_everything_above_it_only() -> None:
    user = persona("xiaoliu_women")
    below = Below(via=("",))
    names = set(access.visible(user, Organization.objects.all(), reach=below).values_list("name", flat=True))
    assert names == {"小留村妇联", "太华路街道妇联", "华阴市妇联"}
    assert access.may(user, Organization.objects.get(name="华阴市妇联"), reach=below)
    assert not access.may(user, Organization.objects.get(name="郭家村妇联"), reach=below)
    limited = Below(via=("",), only=("kind", (Organization.Kind.COUNTY_FEDERATION,)))
    assert list(access.visible(user, Organization.objects.all(), reach=limited).values_list("name", flat=True)) == [
        "华阴市妇联"]
    assert not access.may(user, Organization.objects.get(name="太华路街道妇联"), reach=limited)
    assert not access.visible(None, Organization.objects.all(), reach=below).exists()
