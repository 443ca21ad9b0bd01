"""Two-factor sign-in for staff (A-05, 等保 level 3; ADR 0034).

A TOTP authenticator (RFC 6238: 6 digits, 30-second steps, one step either side accepted) is
enrolled by QR code or by typing the secret, and confirmed by a first code; ten one-time recovery
codes are shown once and kept as hashes. A code is spent once accepted: the factor remembers the
newest step it took, and no code of that step or an older one is taken again.

Required for leads, deputies and the three administrator roles (`is_required`), optional for
other staff. The password step holds the sign-in until the code is right (`views_twofactor`);
`SecondFactorMiddleware` sends a required account without a factor to enrolment before anything
else, and ends a session that has not passed the code step of the factor the account has now
(a reset, or a sign-in that went round the login page).

Wrong codes have their own limit: 5 in a 5-minute window lock the code step of that account for
the rest of the window; each also counts as a failed login toward `loginguard`'s address throttle
and account slow-down. Only someone who already knows the password reaches the code step, so this
lock cannot be used to lock a stranger out."""

from __future__ import annotations

import base64
import hashlib
import secrets
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import quote

from cryptography.hazmat.primitives.hashes import SHA1
from cryptography.hazmat.primitives.twofactor.totp import TOTP
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import constant_time_compare
from django.utils.translation import gettext as _

from . import audit, loginguard, ratelimit
from .models import AuditEvent, Position, RateCounter, RecoveryCode, SecondFactor, User
from .permissions import ensure_can

DIGITS = 6
STEP_SECONDS = 30
DRIFT_STEPS = 1
RECOVERY_CODES = 10
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
FAIL_LIMIT = 5
FAIL_WINDOW = 5 * 60
PENDING_SECONDS = 5 * 60
REMEMBER_DAYS = 30
ISSUER = "共建"

VERIFIED_KEY = "gongjian_2fa"  # the stamp of the factor this session passed
PENDING_KEY = "gongjian_2fa_pending"  # a password accepted, the code not yet
DEVICE_COOKIE = "gongjian_device"
DEVICE_SALT = "gongjian.twofactor.device"

REQUIRED_ROLES = (Position.Role.LEAD, Position.Role.DEPUTY)


# --- who needs it ---------------------------------------------------------------------------

def is_required(user: User) -> bool:
    """Leads, deputies and the three administrators must have a second factor."""
    if user.admin_role:
        return True
    positions = getattr(user, "positions", None)
    if positions is None:
        positions = list(user.current_positions())
    return any(p.role in REQUIRED_ROLES for p in positions)


def required_now(user: User) -> bool:
    return bool(getattr(settings, "GONGJIAN_REQUIRE_2FA", True)) and is_required(user)


def factor_of(user: User) -> SecondFactor | None:
    """Her confirmed factor, or None (a pending enrolment is not a factor yet)."""
    return SecondFactor.objects.filter(user_id=user.pk, confirmed_at__isnull=False).first()


# --- codes ----------------------------------------------------------------------------------

def _totp(secret: str) -> TOTP:
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    # HMAC-SHA1 is what RFC 6238 and every authenticator app use; HMAC does not rest on SHA-1's
    # collision resistance.
    return TOTP(key, DIGITS, SHA1(), STEP_SECONDS, enforce_key_length=False)  # noqa: S303


def code_at(secret: str, step: int) -> str:
    """The code of one 30-second step (tests and the e2e test compute codes with it)."""
    return _totp(secret).generate(step * STEP_SECONDS).decode()


def current_step(now: float | None = None) -> int:
    return int((time.time() if now is None else now) // STEP_SECONDS)


def provisioning_uri(user: User, secret: str) -> str:
    label = quote(f"{ISSUER}:{user.username}")
    return (f"otpauth://totp/{label}?secret={secret}&issuer={quote(ISSUER)}"
            f"&algorithm=SHA1&digits={DIGITS}&period={STEP_SECONDS}")


def qr_svg(uri: str) -> str:
    """The enrolment QR code as inline SVG, drawn here: nothing is fetched from anywhere."""
    import segno

    return str(segno.make(uri, error="m").svg_inline(scale=5, border=2, omitsize=True))


def secret_for_display(secret: str) -> str:
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))


def _normalise(code: str) -> str:
    return "".join(ch for ch in code.lower() if ch.isalnum())


def _recovery_hash(factor: SecondFactor, code: str) -> str:
    # Random codes of ~50 bits with the factor's own stamp as salt: a fast hash is enough.
    return hashlib.sha256(f"{factor.stamp}:{_normalise(code)}".encode()).hexdigest()


def _new_recovery_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def _match_totp(factor: SecondFactor, code: str, now: float | None) -> bool:
    """Accept a code of this step or one either side that is newer than the last one taken; the
    conditional update makes two requests with one code race to a single winner."""
    digits = _normalise(code)
    if len(digits) != DIGITS or not digits.isdigit():
        return False
    now_step = current_step(now)
    for step in range(now_step - DRIFT_STEPS, now_step + DRIFT_STEPS + 1):
        if step <= factor.last_step or not constant_time_compare(code_at(factor.secret, step), digits):
            continue
        taken = SecondFactor.objects.filter(pk=factor.pk, last_step__lt=step).update(last_step=step)
        if taken:
            factor.last_step = step
            return True
    return False


def _match_recovery(factor: SecondFactor, code: str) -> bool:
    if len(_normalise(code)) != 10:
        return False
    spent = RecoveryCode.objects.filter(
        factor=factor, code_hash=_recovery_hash(factor, code), used_at__isnull=True,
    ).update(used_at=timezone.now())
    return spent == 1


# --- the failure limit ----------------------------------------------------------------------

def _fail_key(user: User) -> str:
    return f"otp-fail:{user.pk}"


def locked(user: User) -> bool:
    start = ratelimit.window_start(timezone.now(), FAIL_WINDOW)
    count = RateCounter.objects.filter(key=_fail_key(user), window_start=start).values_list(
        "count", flat=True).first() or 0
    return count >= FAIL_LIMIT


# --- services -------------------------------------------------------------------------------

class Outcome:
    TOTP = "totp"
    RECOVERY = "recovery"
    WRONG = "wrong"
    LOCKED = "locked"


def second_factor_check(*, user: User, code: str, ip: str | None = None, now: float | None = None) -> str:
    """Check a code from her authenticator or a recovery code at sign-in: an `Outcome`. A wrong
    code is audited and counted; a used recovery code is audited."""
    factor = factor_of(user)
    if factor is None:
        return Outcome.WRONG
    if locked(user):
        audit.record(user, "kernel.auth.second_factor_locked", actor=None, username=user.username,
                     result=AuditEvent.Result.DENIED)
        return Outcome.LOCKED
    if _match_totp(factor, code, now):
        return Outcome.TOTP
    if _match_recovery(factor, code):
        left = factor.recovery_codes.filter(used_at__isnull=True).count()
        audit.record(user, "kernel.auth.recovery_code_used", actor=user, changes={"left": left})
        return Outcome.RECOVERY
    ratelimit.hit(_fail_key(user), limit=FAIL_LIMIT, window_seconds=FAIL_WINDOW)
    loginguard.failed(user.username, ip)
    audit.record(user, "kernel.auth.second_factor_failed", actor=None, username=user.username,
                 result=AuditEvent.Result.FAILURE)
    return Outcome.LOCKED if locked(user) else Outcome.WRONG


@transaction.atomic
def second_factor_begin(*, actor: User) -> SecondFactor:
    """Her pending enrolment (the same secret until she confirms it, so a reload shows the same
    QR code); refused while she has a confirmed factor."""
    ensure_can(actor, "kernel.change_own_password")
    existing = SecondFactor.objects.select_for_update().filter(user=actor).first()
    if existing is not None:
        if existing.confirmed_at is not None:
            raise ValidationError(_("您已启用两步验证。"))
        return existing
    secret = base64.b32encode(secrets.token_bytes(20)).decode().rstrip("=")
    return SecondFactor.objects.create(user=actor, secret=secret, stamp=secrets.token_hex(16))


def second_factor_confirm(*, actor: User, code: str, now: float | None = None) -> tuple[SecondFactor, list[str]]:
    """Confirm her pending enrolment with a first code; returns the factor and its recovery codes,
    which exist in clear only in this answer. A wrong code is audited after the transaction, so
    the refusal's trail is not rolled back with it."""
    ensure_can(actor, "kernel.change_own_password")
    with transaction.atomic():
        factor = SecondFactor.objects.select_for_update().filter(user=actor, confirmed_at__isnull=True).first()
        if factor is None:
            raise ValidationError(_("请重新开始设置两步验证。"))
        matched = _match_totp(factor, code, now)
        if matched:
            factor.confirmed_at = timezone.now()
            factor.save(update_fields=["confirmed_at", "last_step"])
            codes = _recovery_codes_issue(factor)
            audit.record(actor, "kernel.auth.second_factor_enrolled", actor=actor)
    if not matched:
        audit.record(actor, "kernel.auth.second_factor_enrol_failed", actor=actor,
                     result=AuditEvent.Result.FAILURE)
        raise ValidationError(_("验证码不正确，请核对手机上的时间后重新输入。"))
    return factor, codes


def _recovery_codes_issue(factor: SecondFactor) -> list[str]:
    codes = [_new_recovery_code() for _ in range(RECOVERY_CODES)]
    RecoveryCode.objects.bulk_create(RecoveryCode(factor=factor, code_hash=_recovery_hash(factor, c)) for c in codes)
    return codes


def recovery_codes_renew(*, actor: User, code: str, now: float | None = None) -> list[str]:
    """She replaces her recovery codes herself, proving she holds her authenticator with a current
    code (a recovery code will not do): every old code stops working, ten new ones exist in clear
    only in this answer. A wrong code counts toward the same limit as at sign-in and is audited
    (outside the swap's transaction, so the refusal's trail is kept)."""
    ensure_can(actor, "kernel.change_own_password")
    factor = SecondFactor.objects.filter(user=actor, confirmed_at__isnull=False).first()
    if factor is None:
        raise ValidationError(_("您尚未启用两步验证。"))
    if locked(actor):
        raise ValidationError(_("验证码错误次数过多，请5分钟后再试。"))
    if not _match_totp(factor, code, now):  # its conditional update spends the code once
        ratelimit.hit(_fail_key(actor), limit=FAIL_LIMIT, window_seconds=FAIL_WINDOW)
        audit.record(actor, "kernel.auth.recovery_codes_renew_failed", actor=actor,
                     result=AuditEvent.Result.FAILURE)
        raise ValidationError(_("验证码不正确或已使用过，请输入手机验证器上显示的新验证码。"))
    with transaction.atomic():
        old_left = factor.recovery_codes.filter(used_at__isnull=True).count()
        factor.recovery_codes.all().delete()
        codes = _recovery_codes_issue(factor)
        audit.record(actor, "kernel.auth.recovery_codes_renewed", actor=actor,
                     changes={"unused_before": old_left, "issued": len(codes)})
    return codes


@transaction.atomic
def second_factor_reset(*, actor: User, account: User) -> None:
    """A security admin removes someone's lost second factor (never her own: another security
    admin does that); the account enrols again at its next sign-in, its sessions and remembered
    devices end."""
    ensure_can(actor, "kernel.manage_accounts")
    if account.pk == actor.pk:
        raise ValidationError(_("不能重置自己的两步验证，请由另一名安全管理员办理。"))
    deleted, _rows = SecondFactor.objects.filter(user=account).delete()
    if not deleted:
        raise ValidationError(_("该账户没有启用两步验证。"))
    audit.record(account, "kernel.account.second_factor_reset", actor=actor)


# --- sessions and remembered devices --------------------------------------------------------

def mark_verified(request: HttpRequest, factor: SecondFactor) -> None:
    request.session[VERIFIED_KEY] = factor.stamp


def remember_device(response: HttpResponse, user: User, factor: SecondFactor) -> None:
    value = signing.dumps({"u": user.pk, "s": factor.stamp}, salt=DEVICE_SALT)
    response.set_cookie(DEVICE_COOKIE, value, max_age=REMEMBER_DAYS * 86400, httponly=True,
                        secure=settings.SESSION_COOKIE_SECURE, samesite="Lax")


def device_remembered(request: HttpRequest, user: User, factor: SecondFactor) -> bool:
    """The signed cookie names this user and this factor, and is at most 30 days old."""
    raw = request.COOKIES.get(DEVICE_COOKIE)
    if not raw:
        return False
    try:
        data: Any = signing.loads(raw, salt=DEVICE_SALT, max_age=REMEMBER_DAYS * 86400)
    except signing.BadSignature:
        return False
    return isinstance(data, dict) and data.get("u") == user.pk and data.get("s") == factor.stamp


# --- the middleware -------------------------------------------------------------------------

EXEMPT_PREFIXES = ("/static/", "/healthz", "/i18n/")


class SecondFactorMiddleware:
    """After the password-change check: a session that has not passed the account's current
    factor ends; a required account without one may only enrol (or sign out, or change its
    password)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not hasattr(request, "session"):
            return self.get_response(request)
        stamp = getattr(user, "factor_stamp", None)  # read with the account (kernel.principal)
        if stamp is None:
            stamp = (SecondFactor.objects.filter(user_id=user.pk, confirmed_at__isnull=False)
                     .values_list("stamp", flat=True).first())
        passed = request.session.get(VERIFIED_KEY)
        if (stamp or passed) and passed != stamp:
            logout(request)
            messages.info(request, _("请重新登录并输入两步验证码。"))
            return redirect(reverse(settings.LOGIN_URL))
        if not stamp and required_now(user) and not request.path.startswith(EXEMPT_PREFIXES):
            allowed = {reverse("kernel:second-factor"), reverse("kernel:logout"),
                       reverse("kernel:password-change")}
            if request.path not in allowed:
                return redirect("kernel:second-factor")
        return self.get_response(request)
