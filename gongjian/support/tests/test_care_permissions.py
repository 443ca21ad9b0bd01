"""Every 关爱 permission walked over every demo role (docs/permissions.md ## support, 关爱), on no
record and on a record of 郭家村; who opens which page: out of reach a 404, a page the role may not
use a 403."""

from __future__ import annotations

import pytest

from gongjian.kernel.models import Pairing, PairingPurpose
from gongjian.kernel.permissions import can
from gongjian.support.models import CareRecipient

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]
FEDERATION = {"huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women"}
PERMISSIONS = ["support.view_recipient", "support.manage_recipient", "support.view_sensitive_recipient",
               "support.view_pairing", "support.manage_pairing"]
# 郭家村 lies under 太华路街道 under 华阴市: its village, township and county reach it. All three
# demo federation accounts are leads, so they see a minor's details too (a staff clerk does not:
# test_care.py and test_care_pages.py).
ON_GUOJIA = dict.fromkeys(PERMISSIONS, {"huayin_fed", "taihua_fed", "guojia_women"})


@pytest.fixture
def guojia_child():
    return CareRecipient.objects.get(person__name="郭小雨")


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_each_role_holds_the_care_permissions_of_the_federation_line(acting, username, permission):
    assert can(acting(username), permission) == (username in FEDERATION)


@pytest.mark.parametrize("username", ROLES)
@pytest.mark.parametrize("permission", PERMISSIONS)
def test_a_guojia_record_is_reached_by_its_village_township_and_county(acting, guojia_child, username, permission):
    record = guojia_child if "recipient" in permission else Pairing.objects.get(
        kind=PairingPurpose.CARE, mentee=guojia_child.person)
    assert can(acting(username), permission, record) == (username in ON_GUOJIA[permission])


DETAIL = {"huayin_fed": 200, "taihua_fed": 200, "guojia_women": 200, "lingsha_fed": 404, "xiaoliu_women": 404,
          "taihua_party": 403, "xiaoliu_branch": 403, "auditor": 403, "secadmin": 403, "secadmin2": 403,
          "sysadmin": 403}


@pytest.mark.parametrize(("username", "status"), DETAIL.items())
def test_the_recipient_and_pairing_pages_open_in_reach_only(login, guojia_child, username, status):
    client = login(username)
    pairing = Pairing.objects.get(kind=PairingPurpose.CARE, mentee=guojia_child.person)
    assert client.get(f"/work/support/care/{guojia_child.pk}/").status_code == status
    assert client.get(f"/work/support/care/{guojia_child.pk}/edit/").status_code == status
    assert client.get(f"/work/support/care/pairings/{pairing.pk}/").status_code == status
    assert client.get(f"/work/support/care/pairings/new/?recipient={guojia_child.pk}").status_code == status


LISTS = ["/work/support/care/", "/work/support/care/new/", "/work/support/care/pairings/",
         "/work/support/care/pairings/overdue/", "/work/support/care/pairings/new/"]


@pytest.mark.parametrize("username", ROLES)
def test_the_lists_and_forms_open_for_federation_staff_only(login, username):
    client = login(username)
    for url in LISTS:
        assert client.get(url).status_code == (200 if username in FEDERATION else 403), url
