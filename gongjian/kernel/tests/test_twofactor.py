"""A-05: two-factor sign-in for staff — enrolment, the code step, replay, recovery codes,
remembered devices, forced enrolment, the security admin's reset, the API token endpoint."""

import re
import time

import pytest
import time_machine
from django.test import Client

from gongjian.kernel import twofactor
from gongjian.kernel.models import AuditEvent, RecoveryCode, SecondFactor, User

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def require_2fa(settings):
    settings.GONGJIAN_REQUIRE_2FA = True


def enrol(user: User) -> tuple[SecondFactor, list[str]]:
    """Enrol through the services, as the page does, with a code of the step before now (so a
    test's own code of this step is still fresh)."""
    factor = twofactor.second_factor_begin(actor=user)
    code = twofactor.code_at(factor.secret, twofactor.current_step() - 1)
    return twofactor.second_factor_confirm(actor=user, code=code)


def now_code(factor: SecondFactor, offset: int = 0) -> str:
    factor.refresh_from_db()
    return twofactor.code_at(factor.secret, twofactor.current_step() + offset)


def password_step(client: Client, username: str, password: str, **extra):
    return client.post("/work/login/", {"username": username, "password": password, **extra})


def signed_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def verified_client(user: User) -> Client:
    """A client signed in as `user` with her factor passed, as the code step leaves it."""
    factor = twofactor.factor_of(user) or enrol(user)[0]
    client = Client()
    client.force_login(user)
    session = client.session
    session[twofactor.VERIFIED_KEY] = factor.stamp
    session.save()
    return client


@pytest.fixture
def staff_user(demo_password) -> User:
    user = User.objects.create_user("plain_staff", password=demo_password)
    return user


def test_a_required_account_is_sent_to_enrolment_right_after_the_password(demo_password):
    client = Client()
    response = password_step(client, "taihua_fed", demo_password)
    assert response.status_code == 302 and signed_in(client)
    home = client.get("/work/")
    assert home.status_code == 302 and home["Location"] == "/work/account/second-factor/"
    assert client.get("/work/people/")["Location"] == "/work/account/second-factor/"
    # Changing the password and signing out stay open, as with the must-change-password flow.
    assert client.get("/work/password/").status_code == 200
    page = client.get("/work/account/second-factor/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "要求启用两步验证" in html
    assert re.search(r'id="secret">([A-Z2-7 ]+)<', html)


@pytest.mark.parametrize("username", ["taihua_party", "secadmin", "sysadmin", "auditor"])
def test_leads_deputies_and_administrators_must_enrol(login, username):
    assert login(username).get("/work/")["Location"] == "/work/account/second-factor/"


def test_other_staff_may_work_without_a_second_factor_and_enrol_from_the_menu(staff_user):
    client = Client()
    client.force_login(staff_user)
    assert client.get("/work/password/").status_code == 200
    assert client.get("/work/account/second-factor/").status_code == 200
    assert not twofactor.is_required(staff_user)


def test_enrolment_by_page_shows_a_qr_code_and_the_secret_and_is_confirmed_by_a_code(login, account):
    client = login("taihua_fed")
    html = client.get("/work/account/second-factor/").content.decode()
    secret = re.search(r'id="secret">([A-Z2-7 ]+)<', html).group(1).replace(" ", "")
    factor = SecondFactor.objects.get(user__username="taihua_fed")
    assert factor.secret == secret and factor.confirmed_at is None
    # The secret is stored encrypted, not in the clear.
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT secret FROM kernel_secondfactor WHERE id = %s", [factor.pk])
        assert secret not in cursor.fetchone()[0]
    wrong = client.post("/work/account/second-factor/", {"code": "000000" if now_code(factor) != "000000" else "111111"})
    assert "验证码不正确" in wrong.content.decode() and SecondFactor.objects.get(pk=factor.pk).confirmed_at is None
    done = client.post("/work/account/second-factor/", {"code": now_code(factor)})
    codes = re.findall(r"<li class=\"col\">([a-z2-9]{5}-[a-z2-9]{5})</li>", done.content.decode())
    assert done.status_code == 200 and len(codes) == 10
    assert RecoveryCode.objects.filter(factor=factor).count() == 10
    assert not RecoveryCode.objects.filter(code_hash__in=codes).exists()
    # The enrolling session counts as verified and goes on working.
    assert client.get("/work/").status_code == 200
    assert AuditEvent.objects.filter(event="kernel.auth.second_factor_enrolled", actor=account("taihua_fed")).exists()


def test_login_with_a_second_factor_asks_for_the_code_before_signing_in(account, demo_password):
    factor, _codes = enrol(account("taihua_fed"))
    client = Client()
    response = password_step(client, "taihua_fed", demo_password)
    assert response.status_code == 302 and response["Location"] == "/work/login/code/"
    assert not signed_in(client)
    assert client.get("/work/")["Location"].startswith("/work/login/")
    page = client.get("/work/login/code/")
    assert page.status_code == 200 and "验证码" in page.content.decode()
    done = client.post("/work/login/code/", {"code": now_code(factor)})
    assert done.status_code == 302 and signed_in(client)
    assert client.get("/work/").status_code == 200


def test_the_code_step_keeps_the_next_page(account, demo_password):
    factor, _codes = enrol(account("taihua_fed"))
    client = Client()
    client.post("/work/login/?next=/work/people/", {"username": "taihua_fed", "password": demo_password,
                                                    "next": "/work/people/"})
    assert client.post("/work/login/code/", {"code": now_code(factor)})["Location"] == "/work/people/"


def test_a_wrong_code_is_refused_counted_and_audited(account, demo_password):
    factor, _codes = enrol(account("taihua_fed"))
    client = Client()
    password_step(client, "taihua_fed", demo_password)
    wrong = "123456" if now_code(factor) != "123456" else "654321"
    response = client.post("/work/login/code/", {"code": wrong})
    assert response.status_code == 200 and not signed_in(client)
    assert "验证码不正确" in response.content.decode()
    assert AuditEvent.objects.filter(event="kernel.auth.second_factor_failed", actor_username="taihua_fed",
                                     result="failure").exists()
    # Still pending: the right code now signs in.
    assert client.post("/work/login/code/", {"code": now_code(factor)}).status_code == 302 and signed_in(client)


def test_the_sixth_wrong_code_in_five_minutes_is_refused_even_when_right(account, demo_password):
    with time_machine.travel("2026-05-01 09:00:05 +0800", tick=False):
        factor, _codes = enrol(account("taihua_fed"))
        for attempt in range(5):
            client = Client()
            password_step(client, "taihua_fed", demo_password)
            response = client.post("/work/login/code/", {"code": "99999" + str(attempt)})
        assert response.status_code == 302 and response["Location"] == "/work/login/"
        client = Client()
        password_step(client, "taihua_fed", demo_password)
        response = client.post("/work/login/code/", {"code": now_code(factor)})
        assert response.status_code == 302 and response["Location"] == "/work/login/" and not signed_in(client)
        assert AuditEvent.objects.filter(event="kernel.auth.second_factor_locked").exists()
    with time_machine.travel("2026-05-01 09:05:10 +0800", tick=False):
        client = Client()
        password_step(client, "taihua_fed", demo_password)
        assert client.post("/work/login/code/", {"code": now_code(factor)}).status_code == 302
        assert signed_in(client)


def test_a_used_code_cannot_be_replayed_in_its_window(account, demo_password):
    factor, _codes = enrol(account("taihua_fed"))
    code = now_code(factor)
    first = Client()
    password_step(first, "taihua_fed", demo_password)
    assert first.post("/work/login/code/", {"code": code}).status_code == 302
    second = Client()
    password_step(second, "taihua_fed", demo_password)
    assert "验证码不正确或已使用过" in second.post("/work/login/code/", {"code": code}).content.decode()
    assert not signed_in(second)
    # An older code of the window is spent too; a code from the step after still works.
    assert twofactor.second_factor_check(user=factor.user, code=now_code(factor, -1)) == twofactor.Outcome.WRONG
    assert twofactor.second_factor_check(user=factor.user, code=now_code(factor, +1)) == twofactor.Outcome.TOTP


def test_codes_two_steps_away_are_refused(account):
    factor, _codes = enrol(account("taihua_fed"))
    assert twofactor.second_factor_check(user=factor.user, code=now_code(factor, +2)) == twofactor.Outcome.WRONG


def test_a_recovery_code_signs_in_once(account, demo_password):
    factor, codes = enrol(account("taihua_fed"))
    client = Client()
    password_step(client, "taihua_fed", demo_password)
    response = client.post("/work/login/code/", {"code": codes[3].upper()})
    assert response.status_code == 302 and signed_in(client)
    assert AuditEvent.objects.filter(event="kernel.auth.recovery_code_used", actor=factor.user).exists()
    again = Client()
    password_step(again, "taihua_fed", demo_password)
    assert "验证码不正确" in again.post("/work/login/code/", {"code": codes[3]}).content.decode()
    assert not signed_in(again)
    assert RecoveryCode.objects.filter(factor=factor, used_at__isnull=True).count() == 9


def test_a_remembered_device_skips_the_code_for_thirty_days_only(account, demo_password, settings):
    factor, _codes = enrol(account("taihua_fed"))
    start = time.time()
    client = Client()
    password_step(client, "taihua_fed", demo_password)
    response = client.post("/work/login/code/", {"code": now_code(factor), "remember": "1"})
    cookie = response.cookies[twofactor.DEVICE_COOKIE]
    assert cookie["httponly"] and int(cookie["max-age"]) == 30 * 86400
    client.post("/work/logout/")
    assert password_step(client, "taihua_fed", demo_password)["Location"] == "/work/"
    assert signed_in(client) and client.get("/work/").status_code == 200
    # The cookie names the user: another account on this device still gives its code.
    other, _ = enrol(account("secadmin"))
    other_client = Client()
    other_client.cookies[twofactor.DEVICE_COOKIE] = cookie.value
    assert password_step(other_client, "secadmin", demo_password)["Location"] == "/work/login/code/"
    # After 30 days the code is asked again.
    client.post("/work/logout/")
    with time_machine.travel(start + 30 * 86400 + 60, tick=False):
        assert password_step(client, "taihua_fed", demo_password)["Location"] == "/work/login/code/"


def test_the_device_cookie_is_secure_in_production(account, demo_password, settings):
    settings.SESSION_COOKIE_SECURE = True
    factor, _codes = enrol(account("taihua_fed"))
    client = Client()
    password_step(client, "taihua_fed", demo_password)
    response = client.post("/work/login/code/", {"code": now_code(factor), "remember": "1"})
    assert response.cookies[twofactor.DEVICE_COOKIE]["secure"]


def test_a_reset_ends_the_remembered_device_and_the_sessions(account, demo_password):
    factor, _codes = enrol(account("taihua_fed"))
    client = Client()
    password_step(client, "taihua_fed", demo_password)
    client.post("/work/login/code/", {"code": now_code(factor), "remember": "1"})
    assert client.get("/work/").status_code == 200
    admin = verified_client(account("secadmin2"))
    assert 'value="reset_second_factor"' in admin.get("/work/console/accounts/").content.decode()
    response = admin.post(f"/work/console/accounts/{factor.user.pk}/", {"action": "reset_second_factor"})
    assert response.status_code == 302
    assert not SecondFactor.objects.filter(user=factor.user).exists()
    assert AuditEvent.objects.filter(event="kernel.account.second_factor_reset",
                                     actor__username="secadmin2").exists()
    # Her session that passed the old factor ends; the remembered device names the old factor.
    assert client.get("/work/")["Location"].startswith("/work/login/")
    assert not signed_in(client)
    new_factor, _ = enrol(account("taihua_fed"))
    assert password_step(client, "taihua_fed", demo_password)["Location"] == "/work/login/code/"
    assert new_factor.stamp != factor.stamp


@pytest.mark.parametrize("username", ["sysadmin", "auditor", "taihua_party"])
def test_the_reset_is_for_security_admins_only(account, username):
    factor, _codes = enrol(account("taihua_fed"))
    client = verified_client(account(username))
    response = client.post(f"/work/console/accounts/{factor.user.pk}/", {"action": "reset_second_factor"})
    assert response.status_code == 403
    assert SecondFactor.objects.filter(user=factor.user).exists()


def test_a_security_admin_cannot_reset_her_own_second_factor(account):
    factor, _codes = enrol(account("secadmin"))
    client = verified_client(account("secadmin"))
    response = client.post(f"/work/console/accounts/{factor.user.pk}/", {"action": "reset_second_factor"})
    assert response.status_code == 302
    assert SecondFactor.objects.filter(pk=factor.pk).exists()
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        twofactor.second_factor_reset(actor=account("secadmin"), account=account("secadmin"))


def test_a_session_that_went_round_the_code_step_is_ended(account):
    """A sign-in that never passed the code (force_login stands for another login path, such as
    the Django admin's) does not get through."""
    enrol(account("taihua_fed"))
    client = Client()
    client.force_login(account("taihua_fed"))
    assert client.get("/work/")["Location"].startswith("/work/login/")
    assert not signed_in(client)


def test_the_code_step_without_a_password_first_goes_back_to_the_login():
    assert Client().get("/work/login/code/")["Location"] == "/work/login/"


def test_a_pending_password_expires_after_five_minutes(account, demo_password):
    factor, _codes = enrol(account("taihua_fed"))
    client = Client()
    start = time.time()
    password_step(client, "taihua_fed", demo_password)
    with time_machine.travel(start + 6 * 60, tick=False):
        code = twofactor.code_at(factor.secret, twofactor.current_step())
        assert client.post("/work/login/code/", {"code": code})["Location"] == "/work/login/"
        assert not signed_in(client)


def token(payload: dict) -> tuple[int, dict]:
    response = Client().post("/api/v1/auth/token", payload, content_type="application/json")
    return response.status_code, response.json()


def test_the_api_token_endpoint_asks_for_the_code(account, demo_password):
    factor, codes = enrol(account("taihua_fed"))
    status, body = token({"username": "taihua_fed", "password": demo_password})
    assert status == 401 and "otp" in body["detail"] and "两步验证" in body["detail"]
    status, body = token({"username": "taihua_fed", "password": demo_password, "otp": "12345x"})
    assert status == 401 and "验证码不正确" in body["detail"]
    code = now_code(factor)
    status, body = token({"username": "taihua_fed", "password": demo_password, "otp": code})
    assert status == 200 and body["token"]
    status, body = token({"username": "taihua_fed", "password": demo_password, "otp": code})
    assert status == 401  # replayed
    status, body = token({"username": "taihua_fed", "password": demo_password, "otp": codes[0]})
    assert status == 200


def test_the_api_refuses_a_required_account_that_has_not_enrolled(demo_password):
    status, body = token({"username": "taihua_fed", "password": demo_password})
    assert status == 403 and "两步验证" in body["detail"]


def test_the_api_gives_optional_staff_a_token_without_a_code(staff_user, demo_password):
    status, body = token({"username": "plain_staff", "password": demo_password})
    assert status == 200, body


# --- her own new recovery codes -------------------------------------------------------------


def codes_on(page: str) -> list[str]:
    listed = page.split('id="recovery-codes"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r"<li[^>]*>([a-z0-9]{5}-[a-z0-9]{5})</li>", listed)


def test_she_renews_her_recovery_codes_with_a_current_code_and_the_old_ones_stop_working(account, demo_password):
    user = account("taihua_fed")
    factor, old = enrol(user)
    client = verified_client(user)
    page = client.get("/work/account/second-factor/").content.decode()
    assert "/work/account/second-factor/recovery-codes/" in page
    assert "10 个未使用的恢复码" in client.get("/work/account/second-factor/recovery-codes/").content.decode()

    # A recovery code is not proof that she holds the phone: refused, nothing changed, audited.
    refused = client.post("/work/account/second-factor/recovery-codes/", {"code": old[0]})
    assert refused.status_code == 200 and "验证码不正确" in refused.content.decode()
    assert RecoveryCode.objects.filter(factor=factor, used_at__isnull=True).count() == 10
    assert AuditEvent.objects.filter(event="kernel.auth.recovery_codes_renew_failed", actor=user,
                                     result=AuditEvent.Result.FAILURE).count() == 1

    renewed = client.post("/work/account/second-factor/recovery-codes/", {"code": now_code(factor)})
    assert renewed.status_code == 200 and renewed["Cache-Control"] == "no-store"
    new = codes_on(renewed.content.decode())
    assert len(new) == 10 and not set(new) & set(old)
    assert "原来的恢复码已全部作废" in renewed.content.decode()
    event = AuditEvent.objects.get(event="kernel.auth.recovery_codes_renewed", actor=user)
    assert event.changes == {"unused_before": 10, "issued": 10}
    assert not any(code in str(event.changes) for code in new)
    assert RecoveryCode.objects.filter(factor=factor).count() == 10

    stale = Client()
    password_step(stale, "taihua_fed", demo_password)
    assert "验证码不正确" in stale.post("/work/login/code/", {"code": old[1]}).content.decode()
    assert not signed_in(stale)
    fresh = Client()
    password_step(fresh, "taihua_fed", demo_password)
    assert fresh.post("/work/login/code/", {"code": new[0]}).status_code == 302 and signed_in(fresh)


def test_wrong_codes_on_the_renewal_count_toward_the_same_limit(account):
    user = account("taihua_fed")
    factor, old = enrol(user)
    client = verified_client(user)
    for _ in range(twofactor.FAIL_LIMIT):
        client.post("/work/account/second-factor/recovery-codes/", {"code": "000000"})
    held = client.post("/work/account/second-factor/recovery-codes/", {"code": now_code(factor)})
    assert "次数过多" in held.content.decode()
    assert set(RecoveryCode.objects.filter(factor=factor).values_list("code_hash", flat=True)) == {
        twofactor._recovery_hash(factor, c) for c in old}


def test_without_a_second_factor_the_renewal_page_leads_to_enrolment(staff_user):
    client = Client()
    client.force_login(staff_user)
    response = client.get("/work/account/second-factor/recovery-codes/")
    assert response.status_code == 302 and response["Location"] == "/work/account/second-factor/"
    with pytest.raises(Exception, match="尚未启用"):
        twofactor.recovery_codes_renew(actor=staff_user, code="123456")


def test_a_wrong_first_code_at_enrolment_is_audited(staff_user):
    twofactor.second_factor_begin(actor=staff_user)
    with pytest.raises(Exception, match="验证码不正确"):
        twofactor.second_factor_confirm(actor=staff_user, code="000000")
    assert AuditEvent.objects.filter(event="kernel.auth.second_factor_enrol_failed", actor=staff_user).exists()
