"""待办 pushed beyond the page (issue 13, ADR 0046): to a 钉钉 or 企业微信 group robot, or by SMS
through a pluggable sender, at once or as a daily digest.

Nothing here runs inside the write that leaves a reminder: `deliver()` runs every minute as the
scheduled job `kernel-pushes` (kernel.schedule, ADR 0032), so a robot that is down never holds up
the work. Each channel keeps a cursor (the last reminder id it pushed); a failed push leaves the
cursor where it was and is tried again after 1, 2, 4 … 60 minutes. A pushed text carries only
kinds and counts ("您有1件维权案件待处理"), never a name, a number or a case's content (Z-07), since
a group chat is outside the platform."""

from __future__ import annotations

import base64
import hashlib
import hmac
import ipaddress
import json
import logging
import time
import urllib.error
import urllib.request
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Protocol
from urllib.parse import quote_plus, urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from .identity import mask_mobile, validate_mobile
from .models import Notification, Position, PushChannel

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10
MAX_BACKOFF = timedelta(minutes=60)
CLAIM_FOR = timedelta(minutes=5)
# A reminder is pushed once it is this old: a slower transaction that took a smaller id has
# committed by then (the cursor would otherwise step over it).
SETTLE = timedelta(seconds=30)
LOOPBACK_HOSTS = {"localhost"}
DEFAULT_HOSTS: dict[str, tuple[str, ...]] = {
    "dingtalk": ("oapi.dingtalk.com",),
    "wecom": ("qyapi.weixin.qq.com",),
}
EXAMPLES: dict[str, str] = {
    "dingtalk": "https://oapi.dingtalk.com/robot/send?access_token=…",
    "wecom": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…",
}

# What a push calls a reminder, by the start of its code (the longest match wins). Kinds, never content.
KIND_LABELS: dict[str, str] = {
    "support.case": "维权案件",
    "support.care": "关爱帮扶",
    "support": "维权服务",
    "disclosure.suggestion": "群众意见",
    "disclosure.inspection": "督查整改",
    "disclosure": "党务公开",
    "campaigns.nomination": "评选表彰",
    "campaigns.pledge": "承诺践诺",
    "campaigns.assessment": "考核评比",
    "campaigns.followup": "督办事项",
    "campaigns": "创建活动",
    "development.loan": "小额贷款",
    "development.recommendation": "推荐入党",
    "development": "发展服务",
    "kernel.objection": "公示异议",
    "kernel.notice": "公示",
}


class PushFailed(Exception):
    """The receiver did not take the message (network, HTTP status or the robot's errcode)."""


# --- what may be stored -----------------------------------------------------------------------------


def allowed_hosts(kind: str) -> tuple[str, ...]:
    configured: dict[str, Iterable[str]] = getattr(settings, "GONGJIAN_PUSH_HOSTS", {})
    return tuple(configured.get(kind) or DEFAULT_HOSTS.get(kind, ()))


def _is_loopback(host: str) -> bool:
    if host in LOOPBACK_HOSTS:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_webhook(kind: str, url: str) -> str:
    """The robot's webhook address if it may be called, else ValidationError. Only https to the
    robot service's own hosts (no SSRF into the county's network); plain http only to this machine,
    and only where GONGJIAN_PUSH_ALLOW_LOOPBACK is on (tests, development)."""
    url = (url or "").strip()
    example = EXAMPLES.get(kind, "")
    if not url or len(url) > 500 or any(ch.isspace() for ch in url):
        raise ValidationError({"address": _("请粘贴机器人的 Webhook 地址，例如 %(example)s") % {"example": example}})
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.username or parts.password or not host:
        raise ValidationError({"address": _("Webhook 地址格式不正确。")})
    if parts.scheme == "http" and _is_loopback(host) and getattr(settings, "GONGJIAN_PUSH_ALLOW_LOOPBACK", False):
        return url
    if parts.scheme != "https":
        raise ValidationError({"address": _("Webhook 地址须以 https:// 开头。")})
    if host not in allowed_hosts(kind):
        raise ValidationError({"address": _("这不是%(kind)s的地址，应形如 %(example)s") % {
            "kind": PushChannel.Kind(kind).label, "example": example}})
    return url


def check_secret(kind: str, secret: str) -> str:
    secret = (secret or "").strip()
    if not secret:
        return ""
    if kind != PushChannel.Kind.DINGTALK:
        raise ValidationError({"secret": _("只有钉钉机器人需要加签密钥。")})
    if not secret.startswith("SEC") or len(secret) > 200 or any(ch.isspace() for ch in secret):
        raise ValidationError({"secret": _("加签密钥以 SEC 开头，请从钉钉机器人的安全设置中复制。")})
    return secret


def check_address(kind: str, address: str) -> str:
    if kind == PushChannel.Kind.SMS:
        try:
            return validate_mobile(address or "")
        except ValidationError as exc:
            raise ValidationError({"address": exc.messages}) from exc
    return check_webhook(kind, address)


# --- the words pushed (Z-07: kinds and counts only) ---------------------------------------------------


def label_of(code: str) -> str:
    parts = code.split(".")
    for n in range(len(parts), 0, -1):
        found = KIND_LABELS.get(".".join(parts[:n]))
        if found:
            return _(found)
    return _("其他事项")


@dataclass(frozen=True)
class Message:
    title: str
    text: str  # plain text (SMS, the robots' text form)
    link: str  # the workspace, when the site's address is configured


def compose(codes: Iterable[str], *, digest: bool) -> Message | None:
    """"您有1件维权案件待处理" — or, for several kinds, the total and each kind's count."""
    counts = Counter(label_of(c) for c in codes)
    total = sum(counts.values())
    if not total:
        return None
    if len(counts) == 1:
        (label, n), = counts.items()
        body = _("您有%(n)d件%(kind)s待处理。") % {"n": n, "kind": label}
    else:
        parts = "，".join(_("%(kind)s%(n)d件") % {"kind": k, "n": n} for k, n in counts.most_common())
        body = _("您有%(n)d件待办待处理：%(parts)s。") % {"n": total, "parts": parts}
    title = _("今日待办") if digest else _("新的待办")
    site = getattr(settings, "GONGJIAN_SITE_URL", "").rstrip("/")
    return Message(title=title, text=_("【工建】%(body)s请登录平台处理。") % {"body": body},
                   link=f"{site}/" if site else "")


def payload(kind: str, message: Message) -> dict[str, Any]:
    """The robot's JSON: markdown, with a link to the platform when the site's address is known."""
    if kind == PushChannel.Kind.DINGTALK:
        text = f"### {message.title}\n\n{message.text}"
        if message.link:
            text += f"\n\n[{_('打开平台')}]({message.link})"
        return {"msgtype": "markdown", "markdown": {"title": message.title, "text": text}}
    if kind == PushChannel.Kind.WECOM:
        content = f"**{message.title}**\n{message.text}"
        if message.link:
            content += f"\n[{_('打开平台')}]({message.link})"
        return {"msgtype": "markdown", "markdown": {"content": content}}
    raise ValueError(kind)


def dingtalk_signed(url: str, secret: str, *, timestamp_ms: int | None = None) -> str:
    """钉钉 加签: HMAC-SHA256 over "timestamp\\nsecret" keyed with the secret, base64, URL-encoded."""
    if not secret:
        return url
    stamp = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    digest = hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
    sign = quote_plus(base64.b64encode(digest).decode())
    return f"{url}{'&' if '?' in url else '?'}timestamp={stamp}&sign={sign}"


# --- sending --------------------------------------------------------------------------------------


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed: it could lead past the host check (SSRF)."""

    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


def post_json(url: str, body: dict[str, Any]) -> None:
    """POST the robot's JSON; anything but HTTP 200 with errcode 0 is PushFailed."""
    host = urlsplit(url).hostname or ""
    handlers: list[Any] = [_NoRedirect()]
    if _is_loopback(host):
        handlers.append(urllib.request.ProxyHandler({}))
    opener = urllib.request.build_opener(*handlers)
    # Only http(s) reaches here: check_webhook let the URL through (a scheme and host checked).
    request = urllib.request.Request(url, data=json.dumps(body, ensure_ascii=False).encode(),  # noqa: S310
                                     method="POST", headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with opener.open(request, timeout=TIMEOUT_SECONDS) as response:
            raw = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise PushFailed(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise PushFailed(f"{type(exc).__name__}: {getattr(exc, 'reason', exc)}") from exc
    try:
        answer = json.loads(raw or b"{}")
    except ValueError as exc:
        raise PushFailed("the robot's answer is not JSON") from exc
    if not isinstance(answer, dict) or answer.get("errcode", 0) != 0:
        errmsg = answer.get("errmsg", "") if isinstance(answer, dict) else ""
        raise PushFailed(f"errcode {answer.get('errcode') if isinstance(answer, dict) else '?'}: {errmsg}"[:200])


class SmsSender(Protocol):
    def send(self, *, mobile: str, text: str) -> None: ...


class LoggingSmsSender:
    """Development's SMS: written to the log (the number masked), nothing sent. Production names
    its gateway's class in GONGJIAN_SMS_SENDER; it raises on failure, and the push is retried."""

    def send(self, *, mobile: str, text: str) -> None:
        logger.info("SMS to %s: %s", mask_mobile(mobile), text)


def sms_sender() -> SmsSender:
    path = getattr(settings, "GONGJIAN_SMS_SENDER", "gongjian.kernel.pushes.LoggingSmsSender")
    sender: SmsSender = import_string(path)()
    return sender


def send(channel: PushChannel, message: Message) -> None:
    """Deliver one message through the channel (checked again: settings may have changed)."""
    if channel.kind == PushChannel.Kind.SMS:
        try:
            sms_sender().send(mobile=check_address(channel.kind, channel.address), text=message.text)
        except ValidationError as exc:
            raise PushFailed("; ".join(exc.messages)) from exc
        except PushFailed:
            raise
        except Exception as exc:  # noqa: BLE001 — a gateway's own error is a failed push, retried
            raise PushFailed(f"{type(exc).__name__}: {exc}"[:200]) from exc
        return
    try:
        url = check_webhook(channel.kind, channel.address)
    except ValidationError as exc:
        raise PushFailed("; ".join(exc.messages)) from exc
    if channel.kind == PushChannel.Kind.DINGTALK:
        url = dingtalk_signed(url, channel.secret)
    post_json(url, payload(channel.kind, message))


# --- the every-minute job -----------------------------------------------------------------------------


def backoff(failures: int) -> timedelta:
    """1, 2, 4, 8 … minutes after the n-th failure in a row, at most an hour."""
    return min(timedelta(minutes=2 ** max(failures - 1, 0)), MAX_BACKOFF)


def _open_reminders(user_id: int, person_id: int | None, today: Any) -> Any:
    if person_id is None:
        return Notification.objects.none()
    orgs = (Position.objects.filter(person_id=person_id, start_date__lte=today)
            .filter(Q(end_date__isnull=True) | Q(end_date__gte=today)).values("organization_id"))
    return Notification.objects.filter(organization_id__in=orgs, read_at__isnull=True)


def _digest_due(channel: PushChannel, now: datetime) -> bool:
    local = timezone.localtime(now)
    at = getattr(settings, "GONGJIAN_PUSH_DIGEST_AT", "08:00")
    hour, minute = (int(x) for x in at.split(":"))
    return channel.digest_on != local.date() and (local.hour, local.minute) >= (hour, minute)


def _claim(channel: PushChannel, now: datetime) -> bool:
    return bool(PushChannel.objects.filter(pk=channel.pk).filter(
        Q(claimed_until__isnull=True) | Q(claimed_until__lt=now)).update(claimed_until=now + CLAIM_FOR))


def deliver_one(channel: PushChannel, *, now: datetime | None = None) -> str:
    """Push what is due on one channel: "sent", "nothing", "failed" or "busy" (another run has it)."""
    now = now or timezone.now()
    if not _claim(channel, now):
        return "busy"
    fields: dict[str, Any] = {"claimed_until": None}
    result = "nothing"
    user = channel.user
    reminders = _open_reminders(user.pk, user.person_id if user.is_active and not user.admin_role else None,
                                timezone.localdate(now))
    message: Message | None = None
    if channel.cadence == PushChannel.Cadence.DAILY:
        if _digest_due(channel, now):
            message = compose(reminders.values_list("code", flat=True), digest=True)
            fields["digest_on"] = timezone.localdate(now)
    else:
        fresh = list(reminders.filter(pk__gt=channel.pushed_through, created_at__lte=now - SETTLE)
                     .values_list("pk", "code"))
        settled = Notification.objects.filter(created_at__lte=now - SETTLE).aggregate(m=Max("pk"))["m"] or 0
        fields["pushed_through"] = max(channel.pushed_through, settled, *(pk for pk, _code in fresh))
        message = compose((code for _pk, code in fresh), digest=False)
    if message is not None:
        try:
            send(channel, message)
        except PushFailed as exc:
            logger.warning("push %s (%s) failed: %s", channel.pk, channel.kind, exc)
            failures = channel.failures + 1
            PushChannel.objects.filter(pk=channel.pk).update(
                claimed_until=None, failures=failures, retry_at=now + backoff(failures), last_error=str(exc)[:300])
            return "failed"
        fields.update(last_sent_at=now)
        result = "sent"
    fields.update(failures=0, retry_at=None, last_error="")
    PushChannel.objects.filter(pk=channel.pk).update(**fields)
    return result


def deliver(*, now: datetime | None = None) -> Counter[str]:
    """Every channel whose retry time (if any) has come: push what is due."""
    now = now or timezone.now()
    due = (PushChannel.objects.filter(Q(retry_at__isnull=True) | Q(retry_at__lte=now))
           .select_related("user").order_by("pk"))
    return Counter(deliver_one(channel, now=now) for channel in due)


def cursor_now() -> int:
    """Where a new channel starts: reminders left before it was set up are not pushed."""
    return Notification.objects.aggregate(m=Max("pk"))["m"] or 0
