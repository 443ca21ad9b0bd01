"""Every 信息报送 permission walked over every demo persona (docs/permissions.md ## reports,
信息报送), and who opens which page: out of reach is a 404, a page the persona may not use a 403."""

from __future__ import annotations

import pytest

from gongjian.kernel.permissions import can
from gongjian.reports.models import NewsState
from gongjian.reports.services.news import PhotoIn

from .news_factories import jpeg, submit

pytestmark = pytest.mark.django_db

ROLES = ["huayin_fed", "taihua_fed", "lingsha_fed", "xiaoliu_women", "guojia_women", "taihua_party",
         "xiaoliu_branch", "auditor", "secadmin", "secadmin2", "sysadmin"]
ADMINS = {"auditor", "secadmin", "secadmin2", "sysadmin"}
STAFF = set(ROLES) - ADMINS
# Staff of a federation or a party organisation may write pieces (all the demo's staff are).
SUBMITTERS = STAFF
# Staff of a county or township federation or of a party committee receive them.
RECEIVERS = {"huayin_fed", "taihua_fed", "lingsha_fed", "taihua_party"}
# A piece of 小留村妇联 sent to 太华路街道妇联: the village, the street it was sent to, the county above.
SEES_XIAOLIU = {"xiaoliu_women", "taihua_fed", "huayin_fed"}
# The same piece sent past the street to the county: the street still sees it (its subtree).
# A piece of 小留村's party branch sent to the street's party committee: the branch and the committee.
SEES_BRANCH = {"xiaoliu_branch", "taihua_party"}


@pytest.fixture
def xiaoliu_piece():
    return submit("xiaoliu_women", photos=[])


@pytest.fixture
def branch_piece():
    return submit("xiaoliu_branch", title="小留村党支部开展主题党日活动")


@pytest.mark.parametrize("username", ROLES)
def test_each_role_holds_the_news_permissions_its_organisation_allows(acting, username):
    user = acting(username)
    assert can(user, "reports.submit_news") == (username in SUBMITTERS)
    assert can(user, "reports.view_news") == (username in STAFF)
    assert can(user, "reports.decide_news") == (username in RECEIVERS)
    assert can(user, "reports.view_news_ranking") == (username in RECEIVERS)


@pytest.mark.parametrize("username", ROLES)
def test_a_village_piece_is_seen_by_the_village_its_street_and_county_and_no_sibling(acting, xiaoliu_piece, username):
    user = acting(username)
    assert can(user, "reports.view_news", xiaoliu_piece) == (username in SEES_XIAOLIU)
    assert can(user, "reports.decide_news", xiaoliu_piece) == (username == "taihua_fed")
    assert can(user, "reports.submit_news", xiaoliu_piece) == (username == "xiaoliu_women")


@pytest.mark.parametrize("username", ROLES)
def test_a_piece_sent_to_the_county_is_decided_by_the_county_only(acting, org, username):
    piece = submit("xiaoliu_women", receiver=org("华阴市妇联").pk)
    assert can(acting(username), "reports.view_news", piece) == (username in SEES_XIAOLIU)
    assert can(acting(username), "reports.decide_news", piece) == (username == "huayin_fed")


@pytest.mark.parametrize("username", ROLES)
def test_a_party_branch_piece_stays_on_the_party_line(acting, branch_piece, username):
    assert can(acting(username), "reports.view_news", branch_piece) == (username in SEES_BRANCH)
    assert can(acting(username), "reports.decide_news", branch_piece) == (username == "taihua_party")


@pytest.mark.parametrize("username", ROLES)
def test_the_piece_and_its_photo_open_in_reach_only(login, username):
    piece = submit("xiaoliu_women", photos=[PhotoIn(jpeg(), "现场")])
    token = piece.photos.get().file.token
    client = login(username)
    expected = 200 if username in SEES_XIAOLIU else 404 if username in STAFF else 403
    assert client.get(f"/work/reports/news/{piece.pk}/").status_code == expected
    photo = client.get(f"/work/reports/news/photos/{token}/")
    assert photo.status_code == expected
    if expected == 200:
        assert photo["Content-Type"] == "image/jpeg" and photo["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("username", ROLES)
def test_the_decide_page_opens_for_the_receiving_organisation_only(login, xiaoliu_piece, username):
    status = login(username).get(f"/work/reports/news/{xiaoliu_piece.pk}/decide/").status_code
    if username == "taihua_fed":
        assert status == 200
    elif username in RECEIVERS:
        assert status == (403 if username == "huayin_fed" else 404)  # the county sees it, may not decide it
    else:
        assert status == 403


@pytest.mark.parametrize("username", ROLES)
def test_adopting_or_returning_out_of_reach_changes_nothing(login, xiaoliu_piece, username):
    client = login(username)
    adopted = client.post(f"/work/reports/news/{xiaoliu_piece.pk}/decide/", {"title": "改了标题的稿件", "body": "改过的正文，足够长的一段文字，妇女之家组织了一次培训活动。"})
    returned = client.post(f"/work/reports/news/{xiaoliu_piece.pk}/return/", {"reason": "不行"})
    xiaoliu_piece.refresh_from_db()
    if username == "taihua_fed":
        assert adopted.status_code == 302 and xiaoliu_piece.state == NewsState.ADOPTED
    else:
        assert adopted.status_code in (403, 404) and returned.status_code in (403, 404)
        assert xiaoliu_piece.state == NewsState.SUBMITTED


@pytest.mark.parametrize("username", ROLES)
def test_withdrawing_is_for_the_submitting_organisation_only(login, xiaoliu_piece, username):
    response = login(username).post(f"/work/reports/news/{xiaoliu_piece.pk}/withdraw/")
    xiaoliu_piece.refresh_from_db()
    assert (xiaoliu_piece.state == NewsState.WITHDRAWN) == (username == "xiaoliu_women")
    assert response.status_code == (302 if username == "xiaoliu_women" else 404 if username in STAFF - SEES_XIAOLIU
                                     else 403)


PAGES = {"/work/reports/news/": SUBMITTERS, "/work/reports/news/new/": SUBMITTERS,
         "/work/reports/news/inbox/": RECEIVERS, "/work/reports/news/ranking/": RECEIVERS,
         "/work/reports/news/ranking.xlsx": RECEIVERS}


@pytest.mark.parametrize("username", ROLES)
def test_the_lists_open_for_whom_they_are_for(login, username):
    client = login(username)
    for url, allowed in PAGES.items():
        assert client.get(url).status_code == (200 if username in allowed else 403), url


@pytest.mark.parametrize("username", ROLES)
def test_the_api_answers_as_the_pages_do(api_client, xiaoliu_piece, username):
    if username in ADMINS:
        return  # the admin roles get no API token at all (kernel tests)
    client = api_client(username)
    assert client.get("/api/v1/news-submissions").status_code == 200
    got = client.get(f"/api/v1/news-submissions/{xiaoliu_piece.pk}")
    assert got.status_code == (200 if username in SEES_XIAOLIU else 404)
