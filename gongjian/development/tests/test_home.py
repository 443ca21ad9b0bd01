"""The app's home page: who may open it."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db

OPENS = {"huayin_fed": 200, "taihua_fed": 200, "lingsha_fed": 200, "xiaoliu_women": 200, "guojia_women": 200,
         "taihua_party": 200, "xiaoliu_branch": 200, "auditor": 403, "secadmin": 403, "secadmin2": 403,
         "sysadmin": 403}


@pytest.mark.parametrize(("username", "status"), OPENS.items())
def test_the_development_home_opens_for_federation_and_party_staff_only(login, username, status):
    response = login(username).get("/work/development/")
    assert response.status_code == status
    if status == 200:
        assert "巾帼致富" in response.content.decode()


def test_the_party_line_sees_only_the_cultivation_tile(login):
    body = login("xiaoliu_branch").get("/work/development/").content.decode()
    assert "/work/development/recommendations/" in body
    for federation_only in ("/work/development/talents/", "/work/development/loans/",
                            "/work/development/demonstrations/"):
        assert f'href="{federation_only}"' not in body.split("<main", 1)[1].split("</nav>", 1)[1]


def test_a_village_director_sees_all_four_tiles(login):
    body = login("xiaoliu_women").get("/work/development/").content.decode()
    for url in ("/work/development/talents/", "/work/development/recommendations/", "/work/development/loans/",
                "/work/development/demonstrations/"):
        assert url in body
