"""Every 考评 permission walked over every demo role (docs/permissions.md ## campaigns, 考评)."""

from __future__ import annotations

import pytest
from django.http import Http404

from gongjian.campaigns.demo import FIVE_GOOD_TITLE
from gongjian.campaigns.models import Assessment, CriteriaSet
from gongjian.campaigns.selectors import assessment as selectors
from gongjian.kernel import access
from gongjian.kernel.permissions import can

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
ABOVE_VILLAGE = {"huayin_fed", "taihua_fed", "lingsha_fed"}

# permission -> accounts that hold it without an object (may open the page at all).
GLOBAL = {
    "campaigns.view_assessment": FEDERATION,
    "campaigns.manage_criteria": ABOVE_VILLAGE,
    "campaigns.self_assess": FEDERATION,
    "campaigns.score_assessment": ABOVE_VILLAGE,
}
# permission -> accounts that hold it on 太华路街道妇联's assessment under 华阴市妇联's 五好 set.
ON_TAIHUA = {
    "campaigns.view_assessment": {"huayin_fed", "taihua_fed"},
    "campaigns.self_assess": {"taihua_fed"},  # the subject's own staff only
    "campaigns.score_assessment": {"huayin_fed"},  # the set owner's staff, never the subject's
}
# permission -> accounts that hold it on the set itself.
ON_SET = {
    "campaigns.view_assessment": {"huayin_fed", "taihua_fed"},  # the township reads the criteria
    "campaigns.manage_criteria": {"huayin_fed"},
}


@pytest.fixture
def demo_set() -> CriteriaSet:
    return CriteriaSet.objects.get(title=FIVE_GOOD_TITLE)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(GLOBAL))
def test_global_permissions(acting, username, permission):
    assert can(acting(username), permission) == (username in GLOBAL[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_TAIHUA))
def test_permissions_on_a_townships_assessment(acting, demo_set, username, permission):
    taihua = demo_set.assessments.get(organization__name="太华路街道妇联")
    assert can(acting(username), permission, taihua) == (username in ON_TAIHUA[permission])


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", sorted(ON_SET))
def test_permissions_on_the_set(acting, demo_set, username, permission):
    assert can(acting(username), permission, demo_set) == (username in ON_SET[permission])


@pytest.mark.parametrize("username", ROLES)
def test_each_role_sees_only_the_assessments_in_its_reach(acting, demo_set, username):
    user = acting(username)
    seen = set(access.visible(user, Assessment.objects.filter(criteria_set=demo_set))
               .values_list("organization__name", flat=True))
    expected = {"huayin_fed": {"太华路街道妇联", "罗敷镇妇联"}, "taihua_fed": {"太华路街道妇联"}}.get(username, set())
    assert seen == expected
    luofu = demo_set.assessments.get(organization__name="罗敷镇妇联")
    if username != "huayin_fed":
        with pytest.raises(Http404):
            selectors.assessment_get_for_user(user=user, assessment_id=luofu.pk)


@pytest.mark.parametrize("username", ROLES)
def test_the_visible_and_the_object_answers_agree(acting, demo_set, username):
    user = acting(username)
    for record in [demo_set, *demo_set.assessments.all()]:
        listed = access.visible(user, type(record).objects.filter(pk=record.pk)).exists()
        assert listed == access.may(user, record), (record, username)
