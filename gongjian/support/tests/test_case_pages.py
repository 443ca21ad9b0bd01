"""维权案件 pages: the list (only what she handles, masked), 来电登记 (the code and the password shown
once), the case (content for the handler and the lead, audited, never cached, 503 when the read
cannot be audited), need-to-know (a same-organisation colleague gets a 404; the township only after
the referral up), the forms shown only when allowed."""

from __future__ import annotations

import re

import pytest
from django.db import DatabaseError

from gongjian.kernel.models import AuditEvent, Organization
from gongjian.kernel.tests.matrix import persona
from gongjian.support.models import Case
from gongjian.support.services import case as services

from .factories import MOBILE, NARRATIVE, SUMMARY, accepted, recorded, referred_up, staff_of

pytestmark = pytest.mark.django_db


def _client_of(user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_the_intake_shows_the_code_and_password_once(login):
    client = login("xiaoliu_women")
    page = client.get("/work/support/cases/new/")
    assert page.status_code == 200 and page["Cache-Control"] == "no-store"
    body = page.content.decode()
    assert "家庭暴力" in body and "12338妇女维权热线" in body and "有人身危险" in body
    response = client.post("/work/support/cases/new/", {"channel": "hotline_12338", "category": "domestic_violence",
                                                         "summary": SUMMARY, "contact_mobile": MOBILE, "risk": "on"})
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    case = Case.objects.order_by("-id").first()
    assert case.tracking_code in body and case.risk
    password = re.search(r"data-password>(\d{8})<", body).group(1)
    from django.contrib.auth.hashers import check_password

    assert check_password(password, case.query_password_hash)
    # Never again: not on the case page, not in the list.
    assert password not in client.get(case.get_absolute_url()).content.decode()
    assert password not in client.get("/work/support/cases/").content.decode()


def test_a_bad_intake_says_why_in_chinese_and_saves_nothing(login):
    before = Case.objects.count()
    response = login("xiaoliu_women").post("/work/support/cases/new/", {"channel": "hotline_12338", "summary": ""})
    assert response.status_code == 400
    assert "请选择类别。" in response.content.decode()
    assert Case.objects.count() == before


def test_the_list_masks_and_never_shows_the_narrative(login):
    case = recorded("xiaoliu_women", narrative=NARRATIVE, contact_name="杨秀兰")
    body = login("xiaoliu_women").get("/work/support/cases/").content.decode()
    assert case.get_absolute_url() in body
    assert NARRATIVE not in body and MOBILE not in body and "139****1234" in body
    assert "杨秀兰" not in body and "杨**" in body
    assert SUMMARY not in body or len(SUMMARY) <= 12


@pytest.mark.parametrize("query", ["state=received", "category=marriage_family", "risk=1", "overdue=1",
                                   "state=bogus&page=x"])
def test_the_list_filters(login, query):
    assert login("xiaoliu_women").get("/work/support/cases/?" + query).status_code == 200


def test_the_list_is_constant_in_queries(login, django_assert_max_num_queries):
    client = login("xiaoliu_women")
    client.get("/work/support/cases/")
    with django_assert_max_num_queries(30) as few:
        client.get("/work/support/cases/")
    for _ in range(8):
        recorded("xiaoliu_women", anonymous=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/work/support/cases/")


def test_the_detail_shows_the_content_to_the_handler_audited_and_not_cached(login):
    case = recorded("xiaoliu_women", narrative=NARRATIVE)
    before = AuditEvent.objects.filter(event="support.case.read", object_id=str(case.pk)).count()
    response = login("xiaoliu_women").get(case.get_absolute_url())
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    body = response.content.decode()
    assert NARRATIVE in body and MOBILE in body
    assert AuditEvent.objects.filter(event="support.case.read", object_id=str(case.pk)).count() == before + 1
    event = AuditEvent.objects.filter(event="support.case.read", object_id=str(case.pk)).last()
    assert event.actor.username == "xiaoliu_women"


def test_a_same_organisation_colleague_who_is_not_named_gets_a_404(acting):
    case = recorded("lingsha_fed", channel="whisper_line", category="health_advice", narrative=NARRATIVE)
    colleague = staff_of("灵沙乡妇联")
    client = _client_of(colleague)
    assert client.get(case.get_absolute_url()).status_code == 404
    assert client.get(f"/work/support/cases/{case.pk}/edit/").status_code == 404
    assert client.post(f"/work/support/cases/{case.pk}/accept/").status_code == 404
    listing = client.get("/work/support/cases/").content.decode()
    assert case.get_absolute_url() not in listing
    # The demo's whisper-line volunteer is such a colleague too.
    assert _client_of(persona("lingsha_line")).get(case.get_absolute_url()).status_code == 404
    # Named by the lead, she gets in.
    services.case_assign(actor=acting("lingsha_fed"), case=case, handlers=[colleague.pk])
    assert client.get(case.get_absolute_url()).status_code == 200


def test_the_township_sees_the_case_only_after_the_referral_up(login, acting):
    case = accepted("xiaoliu_women", narrative=NARRATIVE)
    township = login("taihua_fed")
    assert township.get(case.get_absolute_url()).status_code == 404
    assert case.get_absolute_url() not in township.get("/work/support/cases/").content.decode()
    services.case_refer(actor=acting("xiaoliu_women"), case=case,
                        to_organization=Organization.objects.get(name="太华路街道妇联"))
    page = township.get(case.get_absolute_url())
    assert page.status_code == 200 and NARRATIVE in page.content.decode()
    assert "转来的案件：受理" in page.content.decode()
    # The village no longer reaches it; the county above does not either.
    assert login("xiaoliu_women").get(case.get_absolute_url()).status_code == 404
    assert login("huayin_fed").get(case.get_absolute_url()).status_code == 404


def test_the_sensitive_and_under_14_flags_are_shown(login, acting):
    case = recorded("xiaoliu_women", category="child")
    services.case_update(actor=acting("xiaoliu_women"), case=case, data={"involves_minor": True,
                                                                        "legal_basis": "statutory"})
    body = login("xiaoliu_women").get(case.get_absolute_url()).content.decode()
    assert "涉及未满14岁" in body and "敏感个人信息" in body and "履行法定职责" in body
    listing = login("xiaoliu_women").get("/work/support/cases/").content.decode()
    assert "涉及未满14岁" in listing


def test_an_anonymous_case_shows_no_contact_to_the_lead_who_is_not_named(acting, login):
    case = recorded("lingsha_line", channel="whisper_line", category="health_advice", anonymous=True,
                    contact_name="苏某某")
    lead = login("lingsha_fed").get(case.get_absolute_url()).content.decode()
    assert MOBILE not in lead and "苏某某" not in lead and "要求匿名" in lead
    assert "139****1234" not in login("lingsha_fed").get("/work/support/cases/").content.decode()
    handler = login("lingsha_line").get(case.get_absolute_url()).content.decode()
    assert MOBILE in handler and "苏某某" in handler
    edit = login("lingsha_fed").get(f"/work/support/cases/{case.pk}/edit/").content.decode()
    assert MOBILE not in edit and "苏某某" not in edit


def test_the_forms_show_only_when_allowed(login, acting):
    case = recorded("lingsha_fed", channel="whisper_line", category="health_advice")
    services.case_assign(actor=acting("lingsha_fed"), case=case, handlers=[persona("lingsha_line").pk])
    lead = login("lingsha_fed").get(case.get_absolute_url()).content.decode()
    assert 'id="accept"' in lead and 'id="assign"' in lead and 'id="step"' not in lead
    volunteer = login("lingsha_line").get(case.get_absolute_url()).content.decode()
    assert 'id="accept"' in volunteer and 'id="assign"' not in volunteer and 'id="close"' not in volunteer
    services.case_accept(actor=acting("lingsha_line"), case=case)
    volunteer = login("lingsha_line").get(case.get_absolute_url()).content.decode()
    assert 'id="accept"' not in volunteer and 'id="step"' in volunteer and 'id="resolve"' in volunteer


def test_a_whole_case_through_the_pages(login):
    client = login("xiaoliu_women")
    case = recorded("xiaoliu_women")
    base = f"/work/support/cases/{case.pk}/"
    assert client.post(base + "accept/", {"note": ""}).status_code == 302
    assert client.post(base + "steps/", {"kind": "visit", "note": "上门了解情况"}).status_code == 302
    assert client.post(base + "edit/", {"category": "marriage_family", "summary": "婚姻纠纷", "narrative": NARRATIVE,
                                        "legal_basis": "statutory"}).status_code == 302
    assert client.post(base + "refer/", {"target": "partner:court", "partner_name": "华阴市人民法院"}).status_code == 302
    assert client.post(base + "feedback/", {"note": "法院已立案"}).status_code == 302
    assert client.post(base + "resolve/", {"outcome": "partner_handled", "public_reply": "法院已立案审理"}).status_code == 302
    assert client.post(base + "reply/", {"public_reply": "法院已立案，请按通知出庭"}).status_code == 302
    assert client.post(base + "follow-up/", {"satisfaction": "basically"}).status_code == 302
    assert client.post(base + "close/", {}).status_code == 302
    case.refresh_from_db()
    assert case.state == "closed" and case.narrative == NARRATIVE and case.public_reply.startswith("法院已立案，请按")
    body = client.get(base).content.decode()
    assert "结案" in body and "华阴市人民法院" in body


def test_a_refused_move_says_why(login):
    case = recorded("xiaoliu_women")
    response = login("xiaoliu_women").post(f"/work/support/cases/{case.pk}/close/", {}, follow=True)
    assert "不能变为" in response.content.decode()


def test_the_read_fails_closed_when_it_cannot_be_audited(login, monkeypatch):
    from gongjian.support.selectors import case as selectors

    case = recorded("xiaoliu_women", narrative=NARRATIVE)
    client = login("xiaoliu_women")

    def broken(*args, **kwargs):
        raise DatabaseError("audit store unavailable")

    monkeypatch.setattr(selectors.audit, "record", broken)
    for url in (case.get_absolute_url(), f"/work/support/cases/{case.pk}/edit/"):
        response = client.get(url)
        assert response.status_code == 503
        body = response.content.decode()
        assert NARRATIVE not in body and SUMMARY not in body and MOBILE not in body and case.tracking_code not in body


def test_the_home_tile_and_the_tab(login):
    recorded("xiaoliu_women")
    body = login("xiaoliu_women").get("/work/support/").content.decode()
    assert "/work/support/cases/" in body and "维权案件" in body
    assert "/work/support/cases/" not in login("xiaoliu_branch").get("/work/").content.decode()


def test_referral_up_through_the_page(login):
    case = accepted("xiaoliu_women")
    street = Organization.objects.get(name="太华路街道妇联")
    response = login("xiaoliu_women").post(f"/work/support/cases/{case.pk}/refer/", {"target": f"org:{street.pk}"})
    assert response.status_code == 302 and response["Location"].endswith("/work/support/cases/")
    case.refresh_from_db()
    assert case.organization == street
    bad = Organization.objects.get(name="郭家村妇联")
    other = accepted("xiaoliu_women")
    login("xiaoliu_women").post(f"/work/support/cases/{other.pk}/refer/", {"target": f"org:{bad.pk}"})
    other.refresh_from_db()
    assert other.organization.name == "小留村妇联"


def test_referred_up_factory_lands_in_the_township():
    assert referred_up().organization.name == "太华路街道妇联"


def test_my_overdue_cases(login, acting):
    from datetime import timedelta

    from django.utils import timezone

    from gongjian.support.selectors import case as selectors

    late = recorded("lingsha_line", channel="whisper_line", category="health_advice")
    Case.objects.filter(pk=late.pk).update(due_on=timezone.localdate() - timedelta(days=3))
    recorded("lingsha_line", channel="whisper_line", category="legal_advice")
    mine = list(selectors.my_overdue(user=acting("lingsha_line")))
    assert late in mine and all(c.overdue for c in mine)
    assert late in list(selectors.my_overdue(user=acting("lingsha_fed")))
    assert late not in list(selectors.my_overdue(user=acting("xiaoliu_women")))
    assert late not in list(selectors.my_overdue(user=staff_of("灵沙乡妇联")))
    body = login("lingsha_line").get("/work/support/cases/?overdue=1").content.decode()
    assert late.get_absolute_url() in body and "已超过办理时限" in body
    assert "件超期" in login("lingsha_line").get("/work/support/").content.decode()
