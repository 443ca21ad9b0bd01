"""待办 pushed beyond the page (issue 13, ADR 0046): the exact JSON a 钉钉 / 企业微信 group robot
receives (a real HTTP receiver on 127.0.0.1, in a thread), 加签, SMS through the configured sender,
kinds and counts only (Z-07), retries with backoff, the daily digest, and the settings page that
keeps the webhook a secret (https to the robot's host only, stored encrypted, shown masked, audited)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import Any
from urllib.parse import parse_qs, quote_plus, unquote_plus, urlsplit

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from gongjian.kernel import notifications, pushes, services
from gongjian.kernel.models import AuditEvent, PushChannel

pytestmark = pytest.mark.django_db

CADRE = "xiaoliu_women"  # 小留村妇联主席: the village women's head on her phone
SECRET = "SEC0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcd"
LATER = timedelta(minutes=1)  # past the settling time: what was left now is pushed


class Robot:
    """A group robot on loopback: records each POST and answers as told."""

    def __init__(self) -> None:
        self.received: list[dict[str, Any]] = []
        self.status = 200
        self.answer: dict[str, Any] = {"errcode": 0, "errmsg": "ok"}
        self.redirect_to = ""
        robot = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 — http.server's name
                length = int(self.headers.get("Content-Length", "0"))
                robot.received.append({"path": self.path, "content_type": self.headers.get("Content-Type"),
                                       "body": json.loads(self.rfile.read(length))})
                if robot.redirect_to:
                    self.send_response(302)
                    self.send_header("Location", robot.redirect_to)
                    self.end_headers()
                    return
                data = json.dumps(robot.answer).encode()
                self.send_response(robot.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.server.server_port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def robot() -> Iterator[Robot]:
    found = Robot()
    yield found
    found.close()


class RecordingSms:
    sent: list[tuple[str, str]] = []

    def send(self, *, mobile: str, text: str) -> None:
        RecordingSms.sent.append((mobile, text))


class BrokenSms:
    def send(self, *, mobile: str, text: str) -> None:
        raise ConnectionError("短信网关无响应")


def remind(org: Any, code: str, message: str = "有一件事要办", subject: Any = None) -> Any:
    return notifications.notify(organization=org, code=code, message=message, subject=subject)


def cadre_org(acting: Any) -> Any:
    return acting(CADRE).acting.organization


def set_channel(acting: Any, kind: str, address: str, *, cadence: str = "immediate", secret: str = "") -> Any:
    return services.push_channel_set(actor=acting(CADRE), kind=kind, cadence=cadence, address=address, secret=secret)


# --- the robots' JSON --------------------------------------------------------------------------------


def test_a_dingtalk_robot_receives_the_exact_markdown_signed(acting, robot):
    url = f"{robot.base}/robot/send?access_token=abc123"
    set_channel(acting, "dingtalk", url, secret=SECRET)
    remind(cadre_org(acting), "disclosure.review", "待审核：2026年第三季度党费收缴情况")
    remind(cadre_org(acting), "support.case.risk")
    remind(cadre_org(acting), "support.case.due")
    assert pushes.deliver(now=timezone.now() + LATER)["sent"] == 1
    (got,) = robot.received
    assert got["content_type"] == "application/json; charset=utf-8"
    assert got["body"] == {"msgtype": "markdown", "markdown": {
        "title": "新的待办",
        "text": "### 新的待办\n\n【工建】您有3件待办待处理：维权案件2件，党务公开1件。请登录平台处理。"}}
    query = parse_qs(urlsplit(got["path"]).query)
    assert query["access_token"] == ["abc123"]
    stamp = query["timestamp"][0]
    expected = base64.b64encode(hmac.new(SECRET.encode(), f"{stamp}\n{SECRET}".encode(), hashlib.sha256).digest())
    assert query["sign"] == [expected.decode()]
    assert abs(int(stamp) / 1000 - timezone.now().timestamp()) < 60


def test_the_signature_is_url_encoded_as_dingtalk_documents():
    signed = pushes.dingtalk_signed("https://oapi.dingtalk.com/robot/send?access_token=x", SECRET,
                                    timestamp_ms=1700000000000)
    assert signed.startswith("https://oapi.dingtalk.com/robot/send?access_token=x&timestamp=1700000000000&sign=")
    sign = signed.split("&sign=")[1]
    digest = base64.b64encode(hmac.new(SECRET.encode(), f"1700000000000\n{SECRET}".encode(),
                                       hashlib.sha256).digest()).decode()
    assert unquote_plus(sign) == digest
    assert sign == quote_plus(digest) and not set("+/=") & set(sign)


def test_a_wecom_robot_receives_the_exact_markdown_with_a_link_to_the_platform(acting, robot, settings):
    settings.GONGJIAN_SITE_URL = "https://gongjian.example.cn/"
    set_channel(acting, "wecom", f"{robot.base}/cgi-bin/webhook/send?key=k-1")
    remind(cadre_org(acting), "campaigns.nomination.submitted", "太华路街道报送了王某某的推荐，请审核。")
    pushes.deliver(now=timezone.now() + LATER)
    (got,) = robot.received
    assert got["path"] == "/cgi-bin/webhook/send?key=k-1"
    assert got["body"] == {"msgtype": "markdown", "markdown": {
        "content": "**新的待办**\n【工建】您有1件评选表彰待处理。请登录平台处理。\n[打开平台](https://gongjian.example.cn/)"}}


def test_a_support_case_is_pushed_as_a_count_without_its_content(acting, robot):
    from gongjian.support.tests.factories import NARRATIVE, help_requested

    set_channel(acting, "wecom", f"{robot.base}/send?key=k")
    case, _password = help_requested(cadre_org(acting), category="domestic_violence", narrative=NARRATIVE,
                                     contact_name="王秀兰", contact_mobile="13912345678")
    from gongjian.support.services.case_common import alert_received

    alert_received(case)
    pushes.deliver(now=timezone.now() + LATER)
    text = json.dumps(robot.received[0]["body"], ensure_ascii=False)
    assert "您有1件维权案件待处理" in text
    for secret in ("王秀兰", "13912345678", "丈夫", "家暴", str(case.pk), case.tracking_code):
        assert secret not in text


def test_sms_goes_through_the_configured_sender_with_kinds_and_counts_only(acting, settings):
    settings.GONGJIAN_SMS_SENDER = "gongjian.kernel.tests.test_pushes.RecordingSms"
    RecordingSms.sent.clear()
    set_channel(acting, "sms", "139 1234 5678")
    remind(cadre_org(acting), "development.loan.checked", "小留村报来一笔小额贷款申请待审核（李某）")
    pushes.deliver(now=timezone.now() + LATER)
    assert RecordingSms.sent == [("13912345678", "【工建】您有1件小额贷款待处理。请登录平台处理。")]


def test_the_development_sender_writes_a_masked_number_to_the_log(caplog):
    with caplog.at_level("INFO", logger="gongjian.kernel.pushes"):
        pushes.LoggingSmsSender().send(mobile="13912345678", text="【工建】您有1件公示待处理。请登录平台处理。")
    assert "139****5678" in caplog.text and "13912345678" not in caplog.text


# --- what is pushed, and when ---------------------------------------------------------------------------


def test_reminders_left_before_the_channel_and_those_already_done_are_not_pushed(acting, robot):
    remind(cadre_org(acting), "disclosure.review")  # before she set the robot up
    set_channel(acting, "wecom", f"{robot.base}/send?key=k")
    done = remind(cadre_org(acting), "disclosure.review", subject=cadre_org(acting))
    notifications.resolve(subject=cadre_org(acting), codes=("disclosure.review",))
    assert done is not None
    assert pushes.deliver(now=timezone.now() + LATER)["nothing"] == 1
    assert robot.received == []
    remind(cadre_org(acting), "kernel.notice.ended")
    pushes.deliver(now=timezone.now() + LATER)
    pushes.deliver(now=timezone.now() + LATER * 2)  # pushed once, not again
    assert len(robot.received) == 1


def test_only_the_organisations_she_works_for_are_pushed(acting, org, robot):
    set_channel(acting, "wecom", f"{robot.base}/send?key=k")
    remind(org("郭家村妇联"), "support.case.risk")
    pushes.deliver(now=timezone.now() + LATER)
    assert robot.received == []


def test_a_new_reminder_waits_until_it_has_settled(acting, robot):
    set_channel(acting, "wecom", f"{robot.base}/send?key=k")
    remind(cadre_org(acting), "disclosure.review")
    pushes.deliver(now=timezone.now())
    assert robot.received == []
    pushes.deliver(now=timezone.now() + LATER)
    assert len(robot.received) == 1


def test_the_daily_digest_counts_every_open_todo_once_a_day_after_eight(acting, robot):
    notifications.Notification.objects.filter(organization=cadre_org(acting)).update(read_at=timezone.now())
    with time_machine.travel("2026-12-02 07:00 +0800", tick=False):
        remind(cadre_org(acting), "disclosure.review")  # before she chose the digest: still open, counted
        set_channel(acting, "dingtalk", f"{robot.base}/robot/send?access_token=d", cadence="daily")
        remind(cadre_org(acting), "support.case.due")
        remind(cadre_org(acting), "support.case.overdue")
        assert pushes.deliver()["nothing"] == 1
    assert robot.received == []
    with time_machine.travel("2026-12-02 08:01 +0800", tick=False):
        pushes.deliver()
        pushes.deliver()
    (got,) = robot.received
    assert got["body"]["markdown"] == {
        "title": "今日待办",
        "text": "### 今日待办\n\n【工建】您有3件待办待处理：维权案件2件，党务公开1件。请登录平台处理。"}
    with time_machine.travel("2026-12-03 08:05 +0800", tick=False):
        pushes.deliver()
    assert len(robot.received) == 2


# --- failures: retried with backoff, never in the way of the work -------------------------------------------


def test_a_failed_push_is_retried_with_backoff_and_then_delivered(acting, robot):
    channel = set_channel(acting, "wecom", f"{robot.base}/send?key=k")
    remind(cadre_org(acting), "disclosure.review")
    start = timezone.now() + LATER
    robot.status, robot.answer = 502, {"errcode": -1, "errmsg": "bad gateway"}
    assert pushes.deliver(now=start)["failed"] == 1
    channel.refresh_from_db()
    assert (channel.failures, channel.retry_at) == (1, start + timedelta(minutes=1))
    assert "502" in channel.last_error
    pushes.deliver(now=start + timedelta(seconds=30))  # not yet due: nothing is tried
    assert len(robot.received) == 1
    robot.status, robot.answer = 200, {"errcode": 310000, "errmsg": "keywords not in content"}
    assert pushes.deliver(now=start + timedelta(minutes=1))["failed"] == 1  # a robot's own refusal
    channel.refresh_from_db()
    assert (channel.failures, channel.retry_at) == (2, start + timedelta(minutes=3))
    assert "310000" in channel.last_error
    robot.answer = {"errcode": 0, "errmsg": "ok"}
    assert pushes.deliver(now=start + timedelta(minutes=3))["sent"] == 1
    channel.refresh_from_db()
    assert (channel.failures, channel.retry_at, channel.last_error) == (0, None, "")
    assert len(robot.received) == 3 and robot.received[0]["body"] == robot.received[2]["body"]
    pushes.deliver(now=start + timedelta(minutes=5))
    assert len(robot.received) == 3


def test_the_backoff_doubles_up_to_an_hour():
    assert [pushes.backoff(n) for n in (1, 2, 3, 6, 7, 20)] == [
        timedelta(minutes=m) for m in (1, 2, 4, 32, 60, 60)]


def test_a_robot_that_is_down_or_redirects_is_a_failed_push(acting, robot):
    channel = set_channel(acting, "wecom", f"{robot.base}/send?key=k")
    remind(cadre_org(acting), "disclosure.review")
    robot.redirect_to = "http://10.0.0.1/internal"
    assert pushes.deliver(now=timezone.now() + LATER)["failed"] == 1
    channel.refresh_from_db()
    assert "302" in channel.last_error
    robot.close()
    PushChannel.objects.filter(pk=channel.pk).update(retry_at=None)
    assert pushes.deliver(now=timezone.now() + LATER)["failed"] == 1


def test_a_failing_sms_gateway_is_retried(acting, settings):
    settings.GONGJIAN_SMS_SENDER = "gongjian.kernel.tests.test_pushes.BrokenSms"
    channel = set_channel(acting, "sms", "13912345678")
    remind(cadre_org(acting), "disclosure.review")
    assert pushes.deliver(now=timezone.now() + LATER)["failed"] == 1
    channel.refresh_from_db()
    assert channel.failures == 1 and "短信网关无响应" in channel.last_error


def test_the_work_commits_while_the_robot_is_down(acting, robot, django_capture_on_commit_callbacks):
    from gongjian.disclosure import services as disclosure
    from gongjian.disclosure.tests.factories import draft

    set_channel(acting, "wecom", f"{robot.base}/send?key=k")
    robot.close()
    item = draft(acting)
    with django_capture_on_commit_callbacks(execute=True):
        disclosure.disclosure_submit(actor=acting("xiaoliu_branch"), disclosure=item)
    item.refresh_from_db()
    assert item.state == "submitted"
    assert notifications.Notification.objects.filter(subject=notifications.subject_key(item)).exists()


def test_the_job_runs_every_minute_through_the_scheduler():
    from gongjian.kernel import schedule

    job = schedule.job("kernel-pushes")
    assert (job.command, job.every) == ("push_deliver", timedelta(minutes=1))


# --- what may be stored -------------------------------------------------------------------------------------


@pytest.mark.parametrize(("kind", "address", "loopback", "field"), [
    ("dingtalk", "http://oapi.dingtalk.com/robot/send?access_token=x", False, "address"),
    ("dingtalk", "https://evil.example.com/robot/send?access_token=x", False, "address"),
    ("dingtalk", "https://169.254.169.254/latest/meta-data", False, "address"),
    ("wecom", "https://oapi.dingtalk.com/robot/send?access_token=x", False, "address"),
    ("wecom", "https://user:pw@qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", False, "address"),
    ("wecom", "http://127.0.0.1:8080/send", False, "address"),  # loopback only where allowed
    ("wecom", "http://10.0.0.5/send", True, "address"),
    ("wecom", "file:///etc/passwd", True, "address"),
    ("sms", "12345", False, "address"),
])
def test_an_address_that_could_reach_elsewhere_is_refused_and_nothing_saved(acting, settings, kind, address,
                                                                            loopback, field):
    settings.GONGJIAN_PUSH_ALLOW_LOOPBACK = loopback
    with pytest.raises(ValidationError) as err:
        set_channel(acting, kind, address)
    assert field in err.value.message_dict
    assert not PushChannel.objects.exists()


def test_the_robot_services_own_hosts_are_accepted(acting, settings):
    settings.GONGJIAN_PUSH_ALLOW_LOOPBACK = False
    set_channel(acting, "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=" + "a" * 64, secret=SECRET)
    set_channel(acting, "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=1b2c-3d4e")
    assert PushChannel.objects.filter(user__username=CADRE).count() == 2


def test_a_signing_secret_must_look_like_dingtalks(acting):
    with pytest.raises(ValidationError) as err:
        set_channel(acting, "dingtalk", "https://oapi.dingtalk.com/robot/send?access_token=x", secret="hunter2")
    assert "secret" in err.value.message_dict
    with pytest.raises(ValidationError):
        set_channel(acting, "wecom", "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x", secret=SECRET)


def test_the_webhook_and_the_secret_are_stored_encrypted(acting):
    url = "https://oapi.dingtalk.com/robot/send?access_token=" + "f" * 64
    channel = set_channel(acting, "dingtalk", url, secret=SECRET)
    with connection.cursor() as cursor:
        cursor.execute("SELECT address, secret FROM kernel_pushchannel WHERE id = %s", [channel.pk])
        raw_address, raw_secret = cursor.fetchone()
    assert "access_token" not in raw_address and "f" * 16 not in raw_address and SECRET not in raw_secret
    assert PushChannel.objects.get(pk=channel.pk).address == url


def test_a_second_robot_of_the_same_kind_replaces_the_first_and_both_are_audited_masked(acting):
    first = "https://oapi.dingtalk.com/robot/send?access_token=" + "1" * 60 + "aaaa"
    second = "https://oapi.dingtalk.com/robot/send?access_token=" + "2" * 60 + "bbbb"
    set_channel(acting, "dingtalk", first)
    set_channel(acting, "dingtalk", second, cadence="daily")
    channel = PushChannel.objects.get(user__username=CADRE)
    assert (channel.address, channel.cadence) == (second, "daily")
    events = AuditEvent.objects.filter(event__startswith="kernel.push.", object_id=str(channel.pk)).order_by("id")
    assert [e.event for e in events] == ["kernel.push.created", "kernel.push.changed"]
    changed = events.last().changes
    assert changed["address"] == ["oapi.dingtalk.com/…aaaa", "oapi.dingtalk.com/…bbbb"]
    assert changed["cadence"] == ["immediate", "daily"]
    assert "1" * 20 not in json.dumps([e.changes for e in events])


# --- the page ---------------------------------------------------------------------------------------------


def test_the_settings_page_saves_a_robot_and_shows_it_masked(login):
    client = login(CADRE)
    url = "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=693a91f6-7xxx-4bc4-97a0-0ec2sifa5aaa"
    response = client.post("/work/account/pushes/", {"kind": "wecom", "cadence": "daily", "address": url})
    assert response.status_code == 302
    page = client.get("/work/account/pushes/").content.decode()
    assert "qyapi.weixin.qq.com/…5aaa" in page and "693a91f6" not in page
    assert "每天早上汇总推送一次" in page


def test_a_refused_address_is_told_in_chinese_and_nothing_is_saved(login):
    client = login(CADRE)
    response = client.post("/work/account/pushes/", {"kind": "dingtalk", "cadence": "immediate",
                                                     "address": "https://example.com/hook"})
    assert response.status_code == 400
    assert "这不是钉钉群机器人的地址" in response.content.decode()
    assert not PushChannel.objects.exists()


def test_she_stops_a_push_and_cannot_touch_anyone_elses(acting, login):
    mine = set_channel(acting, "sms", "13912345678")
    other = services.push_channel_set(actor=acting("guojia_women"), kind="sms", cadence="daily",
                                      address="13800001111")
    client = login(CADRE)
    assert client.post(f"/work/account/pushes/{other.pk}/remove/").status_code == 404
    assert PushChannel.objects.filter(pk=other.pk).exists()
    assert "138****1111" not in client.get("/work/account/pushes/").content.decode()
    assert client.post(f"/work/account/pushes/{mine.pk}/remove/").status_code == 302
    assert not PushChannel.objects.filter(pk=mine.pk).exists()
    assert AuditEvent.objects.filter(event="kernel.push.removed", object_id=str(mine.pk)).exists()
