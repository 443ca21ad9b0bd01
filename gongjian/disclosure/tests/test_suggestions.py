"""The suggestion box (意见箱): anonymous, minimal (P-04), rate-limited (I-07), one reply (I-08),
tracked with a code and a password, and turned into a rectification when needed."""

from __future__ import annotations

import re

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import Client

from gongjian.disclosure import services
from gongjian.disclosure.models import Rectification, Suggestion
from gongjian.kernel.models import AuditEvent, Notification

from .factories import published

pytestmark = pytest.mark.django_db


def suggest_url(org) -> str:
    return f"/disclosure/org/{org.pk}/suggest/"


def test_an_anonymous_suggestion_with_only_content_is_accepted_with_a_code_and_password(org):
    branch = org("中共小留村支部委员会")
    response = Client().post(suggest_url(branch), {"content": "公开栏的字太小，老人看不清。"})
    assert response.status_code == 201
    page = response.content.decode()
    s = Suggestion.objects.get(content="公开栏的字太小，老人看不清。")
    assert s.tracking_code in page and s.tracking_code.startswith("YJ-")
    assert AuditEvent.objects.filter(event="disclosure.suggestion.received", object_id=str(s.pk)).exists()


def test_the_api_returns_tracking_code_and_password_and_the_status_is_readable(org, acting):
    branch = org("中共小留村支部委员会")
    client = Client()
    response = client.post("/api/v1/public/suggestions", {"org": branch.pk, "content": "希望公开低保评议结果"},
                           content_type="application/json")
    assert response.status_code == 201
    code, password = response.json()["tracking_code"], response.json()["password"]
    status = client.get(f"/api/v1/public/suggestions/{code}", {"password": password}).json()
    assert status["status"] == "received" and status["reply"] is None
    services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=Suggestion.objects.get(tracking_code=code),
                               reply="已在公开栏补充公开。", public=False)
    status = client.get(f"/api/v1/public/suggestions/{code}", {"password": password}).json()
    assert status["reply"] == "已在公开栏补充公开。"
    assert client.get(f"/api/v1/public/suggestions/{code}", {"password": "00000000"}).status_code == 404


def solve(client: Client, url: str) -> dict[str, str]:
    """Read the arithmetic challenge off the form, as a person would."""
    import re

    page = client.get(url).content.decode()
    question = re.search(r"请计算：(\d+) 加 (\d+) 等于几？", page)
    if question is None:
        return {}
    token = re.search(r'name="captcha_token" value="([^"]+)"', page).group(1)
    return {"captcha_token": token, "captcha_answer": str(int(question.group(1)) + int(question.group(2)))}


def test_the_eleventh_suggestion_from_one_address_within_an_hour_is_refused(org):
    branch = org("中共小留村支部委员会")
    client = Client(REMOTE_ADDR="10.1.2.3")
    with time_machine.travel("2026-11-26 10:00:05 +0800", tick=False):
        codes = [client.post(suggest_url(branch), {"content": f"意见{i}", **solve(client, suggest_url(branch))})
                 .status_code for i in range(11)]
    assert codes == [201] * 10 + [429]
    assert Suggestion.objects.filter(content__startswith="意见").count() == 10


def test_after_five_suggestions_a_question_must_be_answered(org):
    branch = org("中共小留村支部委员会")
    client = Client(REMOTE_ADDR="10.9.9.9")
    with time_machine.travel("2026-11-26 11:00:05 +0800", tick=False):
        for i in range(5):
            assert client.post(suggest_url(branch), {"content": f"前五条{i}"}).status_code == 201
        challenge = solve(client, suggest_url(branch))
        assert challenge
        refused = client.post(suggest_url(branch), {"content": "第六条", "captcha_token": challenge["captcha_token"],
                                                    "captcha_answer": "99"})
        assert refused.status_code == 400 and "计算题" in refused.content.decode()
        assert not Suggestion.objects.filter(content="第六条").exists()
        # A token is good for one try: the right answer on the spent token is refused too.
        assert client.post(suggest_url(branch), {"content": "第六条", **challenge}).status_code == 400
        fresh = solve(client, suggest_url(branch))
        assert client.post(suggest_url(branch), {"content": "第六条", **fresh}).status_code == 201
        # ... and a solved token cannot be replayed for another suggestion.
        assert client.post(suggest_url(branch), {"content": "第七条", **fresh}).status_code == 400
        assert not Suggestion.objects.filter(content="第七条").exists()
        api = Client(REMOTE_ADDR="10.9.9.9")
        answer = api.post("/api/v1/public/suggestions", {"org": branch.pk, "content": "接口提交"},
                          content_type="application/json")
        assert answer.status_code == 400 and "question" in answer.json()


def test_a_double_post_with_the_same_idempotency_key_creates_one_row(org):
    branch = org("中共小留村支部委员会")
    client = Client()
    data = {"content": "重复提交测试", "idempotency_key": "k-123"}
    assert client.post(suggest_url(branch), data).status_code == 201
    second = client.post(suggest_url(branch), data)
    assert second.status_code == 200 and "没有重复保存" in second.content.decode()
    assert Suggestion.objects.filter(content="重复提交测试").count() == 1


def test_a_100_kb_body_is_refused_with_413(org):
    response = Client().post(suggest_url(org("中共小留村支部委员会")), {"content": "长" * 40_000})
    assert response.status_code == 413


def test_an_id_number_is_never_taken(org):
    branch = org("中共小留村支部委员会")
    response = Client().post(suggest_url(branch), {"content": "我的身份证610582197501010025，请核实", "contact": ""})
    assert response.status_code == 400 and "身份证" in response.content.decode()
    assert not Suggestion.objects.filter(content__contains="610582").exists()
    field_names = {f.name for f in Suggestion._meta.get_fields()}
    assert not field_names & {"id_number", "ip", "ip_address", "name"}


def test_empty_content_gets_a_chinese_message_and_nothing_is_saved(org):
    before = Suggestion.objects.count()
    response = Client().post(suggest_url(org("中共小留村支部委员会")), {"content": " "})
    assert response.status_code == 400 and "请填写" in response.content.decode()
    assert Suggestion.objects.count() == before


def test_the_contact_is_stored_encrypted(org):
    from django.db import connection

    s, _ = services.suggestion_submit(organization=org("中共小留村支部委员会"), content="x", contact="13800138000")
    with connection.cursor() as cursor:
        cursor.execute("SELECT contact FROM disclosure_suggestion WHERE id = %s", [s.pk])
        assert "13800138000" not in cursor.fetchone()[0]


def test_a_suggestion_is_answered_once(acting, org):
    s, _ = services.suggestion_submit(organization=org("中共小留村支部委员会"), content="x")
    services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=s, reply="已办", public=True)
    with pytest.raises(ValidationError):
        services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=s, reply="再答", public=True)
    s.refresh_from_db()
    assert s.reply == "已办"


def test_needs_rectification_opens_a_rectification_of_the_item(acting, org):
    item, _ = published(acting)
    s, _ = services.suggestion_submit(organization=item.organization, content="收缴金额与实际不符", disclosure=item)
    services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=s, reply="核实后更正",
                               public=True, needs_rectification=True)
    item.refresh_from_db()
    assert item.state == "rectifying"
    rect = Rectification.objects.get(suggestion=s)
    assert rect.source == "suggestion" and rect.disclosure_id == item.pk


def test_staff_answer_through_the_page_and_the_visitor_reads_the_reply(login, org):
    branch = org("中共小留村支部委员会")
    client = Client()
    client.post(suggest_url(branch), {"content": "请公开党员发展情况", "idempotency_key": "page-1"})
    s = Suggestion.objects.get(content="请公开党员发展情况")
    staff = login("xiaoliu_branch")
    response = staff.post(f"/work/disclosure/suggestions/{s.pk}/", {"action": "answer", "reply": ""})
    assert response.status_code == 400
    response = staff.post(f"/work/disclosure/suggestions/{s.pk}/", {"action": "answer", "reply": "下月公开", "public": "on"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == "answered" and s.reply_public


def test_wrong_tracking_password_gives_the_same_answer_as_an_unknown_code(org):
    s, password = services.suggestion_submit(organization=org("中共小留村支部委员会"), content="x")
    client = Client()
    wrong = client.post("/disclosure/track/", {"code": s.tracking_code, "password": "12345678"})
    unknown = client.post("/disclosure/track/", {"code": "YJ-XXXX-XXXX", "password": password})
    assert wrong.status_code == unknown.status_code == 404
    ok = client.post("/disclosure/track/", {"code": s.tracking_code.lower(), "password": password})
    assert ok.status_code == 200 and "正在办理" in ok.content.decode()


def test_overdue_suggestions_are_listed_and_reminded_once(login, org):
    with time_machine.travel("2026-10-01 10:00 +0800", tick=False):
        s, _ = services.suggestion_submit(organization=org("中共小留村支部委员会"), content="逾期测试")
    assert str(s.due_on) == "2026-10-16"
    with time_machine.travel("2026-10-20 10:00 +0800", tick=False):
        page = login("xiaoliu_branch").get("/work/disclosure/suggestions/?overdue=1").content.decode()
        assert s.tracking_code in page and "已超期" in page
        services.reminders_send()
        services.reminders_send()
    assert Notification.objects.filter(dedupe_key=f"suggestion:{s.pk}:overdue").count() == 1


def test_a_suggestion_can_be_assigned_to_a_colleague_only(acting, org, account):
    s, _ = services.suggestion_submit(organization=org("中共小留村支部委员会"), content="x")
    with pytest.raises(ValidationError):
        services.suggestion_assign(actor=acting("xiaoliu_branch"), suggestion=s, assignee=account("guojia_women"))
    services.suggestion_assign(actor=acting("xiaoliu_branch"), suggestion=s, assignee=account("xiaoliu_branch"))
    s.refresh_from_db()
    assert s.status == "assigned"


@pytest.mark.postgres_only
def test_ten_threads_answering_at_once_leave_exactly_one_reply(committed_db, acting, org):
    import threading

    from django.db import connections

    s, _ = services.suggestion_submit(organization=org("中共小留村支部委员会"), content="并发答复")
    results: list[str] = []

    def worker(i: int) -> None:
        try:
            services.suggestion_answer(actor=acting("xiaoliu_branch"), suggestion=s, reply=f"答复{i}", public=True)
            results.append("ok")
        except ValidationError:
            results.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert results.count("ok") == 1 and results.count("refused") == 9


def test_the_challenge_token_does_not_carry_its_answer():
    """Issue 12: the answer was readable from the signed token; now only a keyed hash travels."""
    import base64
    import json

    from gongjian.disclosure import captcha

    challenge = captcha.new_challenge()
    body = challenge.token.split(":")[0]
    payload = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    assert set(payload) == {"n", "t", "h"}
    numbers = [int(n) for n in __import__("re").findall(r"\d+", challenge.question)]
    assert str(sum(numbers)) not in (payload["n"], str(payload["t"]))
    assert all(len(str(value)) > 2 for value in payload.values())


def test_the_tracking_code_is_found_however_it_is_typed_and_the_receipt_offers_copy_and_prefill(org):
    """Issue 13: read off paper or a phone screen, the code comes in lower case, without dashes,
    with spaces or in full-width characters; the receipt has a copy button and its link fills the
    code in (in a fragment, which never reaches the server's logs)."""
    branch = org("中共小留村支部委员会")
    client = Client()
    receipt = client.post(suggest_url(branch), {"content": "希望公开村集体收支明细。"})
    s = Suggestion.objects.get(content="希望公开村集体收支明细。")
    page = receipt.content.decode()
    assert f'data-copy="{s.tracking_code}"' in page and "复制查询码" in page
    assert f"/disclosure/track/#code={s.tracking_code}" in page
    password = re.search(r'id="query-password">(\d{8})<', page).group(1)
    body = s.tracking_code.replace("-", "")
    typed = [body.lower(), f"{body[:2]} {body[2:6]} {body[6:]}",
             "".join(chr(ord(c) + 0xFEE0) if c.isalnum() else c for c in s.tracking_code.lower())]
    for code in typed:
        found = client.post("/disclosure/track/", {"code": code, "password": password})
        assert found.status_code == 200, code
        assert "希望公开村集体收支明细。" in found.content.decode()
