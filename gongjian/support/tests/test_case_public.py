"""A woman asks for help online and follows her case with the tracking code and query password: the
service, the portal pages and the public API."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client

from gongjian.kernel.models import AuditEvent, Notification, Organization
from gongjian.kernel.tracking import find_tracked
from gongjian.support.models import Case, CaseChannel, CaseState, CaseStep, LegalBasis, StepKind
from gongjian.support.selectors import case_public as public_selectors
from gongjian.support.services.case_public import HELP_PER_HOUR, LOOKUPS_PER_HOUR

from .factories import help_requested

pytestmark = pytest.mark.django_db

NARRATIVE = "他昨晚又喝醉了打我，孩子吓得一直哭，邻居听见了"


def _form(org: Organization, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"organization": org.pk, "category": "domestic_violence",
                               "summary": "丈夫酒后动手打人", "narrative": NARRATIVE, "contact_name": "李女士",
                               "contact_mobile": "13912345678", "call_note": "工作日上午，不要留言",
                               "consent": "on"}
    data.update(overrides)
    return data


def _move(case: Case, **fields: object) -> None:
    """Put a case in a later state (the staff services that do it live on the other topic's branch)."""
    Case.objects.filter(pk=case.pk).update(**fields)


# ------------------------------------------------------------------------------ the service


def test_a_request_for_help_becomes_a_received_online_case_with_a_time_limit(org):
    xiaoliu = org("小留村妇联")
    case, password = help_requested(xiaoliu, category="domestic_violence", narrative=NARRATIVE)
    case.refresh_from_db()
    assert case.channel == CaseChannel.ONLINE and case.state == CaseState.RECEIVED
    assert case.organization == xiaoliu and case.intake_organization == xiaoliu and case.created_by is None
    assert case.due_on is not None and case.due_on > case.received_at.date()
    assert case.sensitive  # violence at home is sensitive personal information (P-05)
    assert case.legal_basis == LegalBasis.CONSENT and case.consent_at is not None
    assert case.tracking_code.startswith("WQ-")
    assert list(case.steps.values_list("kind", "actor", "organization")) == [(StepKind.RECEIVED, None, xiaoliu.pk)]
    assert find_tracked(Case.objects.all(), case.tracking_code, password) == case
    event = AuditEvent.objects.filter(event="support.case.received_online", object_id=str(case.pk)).get()
    assert event.actor_id is None


def test_a_marriage_question_is_not_marked_sensitive(org):
    case, _password = help_requested(org("小留村妇联"), category="marriage_family")
    assert not case.sensitive


def test_a_risk_request_is_due_the_same_working_day_and_alerts_the_organisation(org,
                                                                                 django_capture_on_commit_callbacks):
    xiaoliu = org("小留村妇联")
    with django_capture_on_commit_callbacks(execute=True):
        case, _password = help_requested(xiaoliu, category="domestic_violence", risk=True)
    calm, _other = help_requested(xiaoliu)
    assert case.due_on is not None and calm.due_on is not None and case.due_on < calm.due_on
    alert = Notification.objects.get(code="support.case.risk", organization=xiaoliu,
                                     dedupe_key__startswith=f"support.case.risk:{case.pk}:")
    assert NARRATIVE not in alert.message and "丈夫" not in alert.message


def test_the_callback_advice_is_kept_encrypted_with_the_narrative(org):
    case, _password = help_requested(org("小留村妇联"), narrative=NARRATIVE, call_note="晚上八点后不要打")
    case.refresh_from_db()
    assert case.narrative.startswith(NARRATIVE) and "晚上八点后不要打" in case.narrative
    with connection.cursor() as cursor:
        cursor.execute("SELECT narrative, summary FROM support_case WHERE id = %s", [case.pk])
        stored = " ".join(str(v) for v in cursor.fetchone())
    assert "喝醉" not in stored and "晚上八点" not in stored and "丈夫" not in stored


@pytest.mark.parametrize(("overrides", "field"), [
    ({"summary": "  "}, "summary"),
    ({"summary": "很" * 201}, "summary"),
    ({"category": "burglary"}, "category"),
    ({"contact_mobile": "12345"}, "contact_mobile"),
    ({"consent": False}, "consent"),
])
def test_bad_input_is_refused_in_chinese_and_nothing_is_saved(org, overrides, field):
    before = Case.objects.count(), CaseStep.objects.count()
    with pytest.raises(ValidationError) as caught:
        help_requested(org("小留村妇联"), **overrides)
    assert field in caught.value.message_dict
    assert re.search(r"[\u4e00-\u9fff]", " ".join(caught.value.message_dict[field]))
    assert (Case.objects.count(), CaseStep.objects.count()) == before


def test_help_goes_only_to_a_township_or_village_federation(org):
    for name in ("中共小留村支部委员会", "华阴市妇联"):
        with pytest.raises(ValidationError):
            help_requested(org(name))


# ------------------------------------------------------------------------------ the portal


def test_the_help_page_tells_her_the_hotlines_first_and_asks_no_id_number():
    response = Client().get("/support/help/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert page.index("110") < page.index("help-form") and "12338" in page
    assert 'href="tel:110"' in page
    assert "id_number" not in page and "身份证号码" not in page and 'name="address"' not in page
    assert "小留村妇联" in page and "中共小留村支部委员会" not in page


def test_the_whisper_line_of_her_place_is_listed_once_she_picks_it(org, monkeypatch):
    lingsha = org("灵沙乡妇联")

    def lines(organization):
        if organization.path.startswith(lingsha.path):
            return [public_selectors.Hotline("灵沙乡妇女悄悄话热线", "0952-6011234", "周一至周五 9:00-17:00")]
        return []

    monkeypatch.setattr(public_selectors, "whisper_lines", lines)
    village = Organization.objects.get(name="灵沙村妇联")
    page = Client().get(f"/support/help/?org={village.pk}").content.decode()
    assert "0952-6011234" in page and "周一至周五" in page
    assert 'href="tel:0952-6011234"' in page
    assert "0952-6011234" not in Client().get(f"/support/help/?org={org('小留村妇联').pk}").content.decode()
    assert "0952-6011234" not in Client().get("/support/help/?org=party").content.decode()


def test_she_asks_for_help_and_sees_her_code_and_password_once(org):
    response = Client().post("/support/help/", _form(org("小留村妇联")))
    assert response.status_code == 201
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    case = Case.objects.latest("id")
    code = re.search(r'id="tracking-code">([^<]+)<', page).group(1)
    password = re.search(r'id="query-password">(\d{8})<', page).group(1)
    assert code == case.tracking_code and find_tracked(Case.objects.all(), code, password) == case
    assert "抄" in page and case.contact_mobile == "13912345678" and case.contact_name == "李女士"
    assert "工作日上午" in case.narrative


def test_a_form_with_mistakes_comes_back_with_the_reasons(org):
    response = Client().post("/support/help/", _form(org("小留村妇联"), summary="", consent=""))
    assert response.status_code == 400
    page = response.content.decode()
    assert "请简单说一说发生了什么" in page and "请勾选同意" in page
    assert not Case.objects.filter(summary="丈夫酒后动手打人").exists()


def test_a_made_up_organisation_is_refused(org):
    response = Client().post("/support/help/", _form(org("小留村妇联"), organization=999999))
    assert response.status_code == 400


def test_asking_for_help_is_rate_limited_per_address(org):
    client = Client(REMOTE_ADDR="10.9.8.7")
    data = _form(org("小留村妇联"))
    for _ in range(HELP_PER_HOUR):
        assert client.post("/support/help/", data).status_code == 201
    response = client.post("/support/help/", data)
    assert response.status_code == 429
    assert "110" in response.content.decode()


def test_she_follows_her_case_and_sees_only_what_is_meant_for_her(org):
    case, password = help_requested(org("小留村妇联"), narrative=NARRATIVE, contact_mobile="13912345678")
    _move(case, state=CaseState.HANDLING, public_reply="已联系您，正在协调村调解委员会。")
    response = Client().post("/support/help/track/", {"code": case.tracking_code.lower(), "password": password})
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    page = response.content.decode()
    assert "办理中" in page and "正在办理" in page and "正在协调村调解委员会" in page
    for secret in ("喝醉", "丈夫长期", "13912345678", "139****5678", "王女士", "小留村妇联"):
        assert secret not in page
    lookups = AuditEvent.objects.filter(event="support.case.public_lookup", object_id=str(case.pk))
    assert lookups.count() == 1 and lookups.get().actor_id is None


def test_a_case_not_accepted_shows_her_the_reason(org):
    case, password = help_requested(org("小留村妇联"))
    _move(case, state=CaseState.NOT_ACCEPTED, not_accepted_reason="不属于妇联受理范围，请向法院起诉。", due_on=None)
    page = Client().post("/support/help/track/", {"code": case.tracking_code, "password": password}).content.decode()
    assert "不予受理" in page and "请向法院起诉" in page


def test_a_wrong_password_and_a_wrong_code_get_the_same_calm_answer(org):
    case, password = help_requested(org("小留村妇联"))
    wrong_password = Client().post("/support/help/track/", {"code": case.tracking_code, "password": "00000000"})
    wrong_code = Client().post("/support/help/track/", {"code": "WQ-AAAA-BBBB", "password": password})
    assert wrong_password.status_code == wrong_code.status_code == 404
    def answer(body: bytes) -> str:  # the page minus the tokens and the code she typed
        return re.sub(r'(csrf-token" content|csrfmiddlewaretoken" value|name="code" value)="[^"]*"', "",
                      body.decode())

    assert answer(wrong_password.content) == answer(wrong_code.content)
    assert "没有查到" in wrong_password.content.decode()
    assert not AuditEvent.objects.filter(event="support.case.public_lookup", object_id=str(case.pk)).exists()


def test_looking_up_is_rate_limited_per_address():
    client = Client(REMOTE_ADDR="10.9.8.6")
    for _ in range(LOOKUPS_PER_HOUR):
        assert client.post("/support/help/track/", {"code": "WQ-AAAA-BBBB", "password": "1"}).status_code == 404
    assert client.post("/support/help/track/", {"code": "WQ-AAAA-BBBB", "password": "1"}).status_code == 429


def test_the_portal_front_page_offers_online_help():
    page = Client().get("/").content.decode()
    assert "/support/help/" in page and "12338" in page


# ------------------------------------------------------------------------------ the public API


def _payload(org: Organization, **overrides: object) -> dict[str, object]:
    data: dict[str, object] = {"organization_id": org.pk, "category": "property", "summary": "土地补偿款被婆家占了",
                               "narrative": NARRATIVE, "contact_mobile": "13912345678", "consent": True}
    data.update(overrides)
    return data


def test_the_public_api_takes_a_request_and_tells_her_where_it_stands(org):
    client = Client()
    created = client.post("/api/v1/public/cases", _payload(org("郭家村妇联")), content_type="application/json")
    assert created.status_code == 201, created.content
    assert created["Cache-Control"] == "no-store"
    body = created.json()
    assert set(body) == {"tracking_code", "password", "hotlines"}
    assert [h["number"] for h in body["hotlines"]][:2] == ["110", "12338"]
    case = Case.objects.get(tracking_code=body["tracking_code"])
    assert case.channel == CaseChannel.ONLINE and case.organization.name == "郭家村妇联"
    _move(case, public_reply="已转司法所。")
    status = client.get(f"/api/v1/public/cases/{body['tracking_code']}", {"password": body["password"]})
    assert status.status_code == 200 and status["Cache-Control"] == "no-store"
    answer = status.json()
    assert set(answer) == {"tracking_code", "state", "state_label", "next_step", "public_reply",
                           "not_accepted_reason", "updated_on"}
    assert answer["state"] == "received" and answer["state_label"] == "已登记"
    assert answer["public_reply"] == "已转司法所。" and answer["updated_on"] == date.today().isoformat()
    assert "喝醉" not in status.content.decode() and "13912345678" not in status.content.decode()


def test_the_public_api_gives_one_answer_for_a_wrong_code_or_password(org):
    case, password = help_requested(org("小留村妇联"))
    client = Client()
    wrong_password = client.get(f"/api/v1/public/cases/{case.tracking_code}", {"password": "12345678"})
    wrong_code = client.get("/api/v1/public/cases/WQ-AAAA-BBBB", {"password": password})
    assert wrong_password.status_code == wrong_code.status_code == 404
    assert wrong_password.json() == wrong_code.json()


def test_the_public_api_refuses_bad_input_in_chinese(org):
    client = Client()
    bad_category = client.post("/api/v1/public/cases", _payload(org("小留村妇联"), category="burglary"),
                               content_type="application/json")
    assert bad_category.status_code == 422
    no_consent = client.post("/api/v1/public/cases", _payload(org("小留村妇联"), consent=False),
                             content_type="application/json")
    assert no_consent.status_code == 400 and "consent" in no_consent.json()["errors"]
    party = client.post("/api/v1/public/cases", _payload(org("中共小留村支部委员会")), content_type="application/json")
    assert party.status_code == 400 and "organization_id" in party.json()["errors"]
    assert re.search(r"[\u4e00-\u9fff]", party.json()["detail"])


def test_the_public_api_is_rate_limited_like_the_page(org):
    client = Client(REMOTE_ADDR="10.9.8.5")
    for _ in range(HELP_PER_HOUR):
        assert client.post("/api/v1/public/cases", _payload(org("小留村妇联")),
                           content_type="application/json").status_code == 201
    assert client.post("/api/v1/public/cases", _payload(org("小留村妇联")),
                       content_type="application/json").status_code == 429
