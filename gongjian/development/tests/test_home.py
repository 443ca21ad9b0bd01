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
