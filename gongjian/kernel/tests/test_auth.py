"""A-01..A-04, A-07: lock-out, generic messages, session limits, password rules."""

import time

import pytest
import time_machine
from django.contrib.auth.hashers import identify_hasher
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, override_settings

from gongjian.kernel.models import AuditEvent, User

pytestmark = pytest.mark.django_db


def post_login(client: Client, username: str, password: str):
    return client.post("/work/login/", {"username": username, "password": password})


def test_six_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(demo_password):
    client = Client()
    for _ in range(4):
        assert post_login(client, "guojia_women", "wrong-password").status_code == 200
    # The fifth failure locks the account; the sixth is refused as locked.
    assert post_login(client, "guojia_women", "wrong-password").status_code == 429
    assert post_login(client, "guojia_women", "wrong-password").status_code == 429
    response = post_login(Client(), "guojia_women", demo_password)
    assert response.status_code == 429
    assert "_auth_user_id" not in Client().session
    assert "账户已锁定30分钟" in response.content.decode()
    assert AuditEvent.objects.filter(event="kernel.auth.locked_out", actor_username="guojia_women").exists()


def test_lock_lifts_after_thirty_minutes(demo_password):
    with time_machine.travel("2026-05-01 09:00 +0800", tick=False):
        for _ in range(6):
            post_login(Client(), "guojia_women", "wrong-password")
        assert post_login(Client(), "guojia_women", demo_password).status_code == 429
    with time_machine.travel("2026-05-01 09:31 +0800", tick=False):
        assert post_login(Client(), "guojia_women", demo_password).status_code == 302


def test_unknown_user_and_wrong_password_get_the_same_answer():
    a = post_login(Client(), "no_such_user", "whatever-Pass1")
    b = post_login(Client(), "guojia_women", "whatever-Pass1")
    assert a.status_code == b.status_code == 200
    assert a.context["form"].non_field_errors() == b.context["form"].non_field_errors()


def test_login_success_and_failure_are_audited(demo_password):
    before = AuditEvent.objects.count()
    post_login(Client(), "taihua_fed", "wrong-password")
    post_login(Client(), "taihua_fed", demo_password)
    events = list(AuditEvent.objects.order_by("chain_index")[before:].values_list("event", "result"))
    assert ("kernel.auth.login_failed", "failure") in events
    assert ("kernel.auth.login", "success") in events


def test_session_key_changes_at_login(demo_password):
    client = Client()
    client.get("/work/login/")
    client.cookies["sessionid"] = "x" * 32
    post_login(client, "taihua_fed", demo_password)
    assert client.cookies["sessionid"].value != "x" * 32


def test_idle_session_ends_after_thirty_minutes(demo_password):
    client = Client()
    with time_machine.travel(time.time(), tick=False) as traveller:
        assert post_login(client, "taihua_fed", demo_password).status_code == 302
        assert client.get("/work/people/").status_code == 200
        traveller.shift(29 * 60)
        assert client.get("/work/people/").status_code == 200
        traveller.shift(31 * 60)
        response = client.get("/work/people/")
        assert response.status_code == 302 and "/work/login/" in response["Location"]


def test_active_session_still_ends_after_twelve_hours(demo_password):
    client = Client()
    with time_machine.travel(time.time(), tick=False) as traveller:
        post_login(client, "taihua_fed", demo_password)
        for _ in range(13 * 6):
            traveller.shift(10 * 60)
            response = client.get("/work/")
            if response.status_code == 302:
                break
        assert response.status_code == 302 and "/work/login/" in response["Location"]


def test_logout_ends_the_server_session(login):
    client = login("taihua_fed")
    client.post("/work/logout/")
    assert client.get("/work/people/").status_code == 302


def test_logout_by_get_is_refused(login):
    assert login("taihua_fed").get("/work/logout/").status_code == 405


def test_password_change_ends_other_sessions(demo_password, account):
    first, second = Client(), Client()
    post_login(first, "taihua_fed", demo_password)
    post_login(second, "taihua_fed", demo_password)
    response = first.post("/work/password/", {"old_password": demo_password, "new_password1": "Nw-pass-2026!",
                                               "new_password2": "Nw-pass-2026!"})
    assert response.status_code == 302
    assert first.get("/work/people/").status_code == 200
    assert second.get("/work/people/").status_code == 302
    assert AuditEvent.objects.filter(event="kernel.auth.password_changed").exists()


def test_disabled_account_loses_access_on_next_request(login, account):
    client = login("taihua_fed")
    User.objects.filter(username="taihua_fed").update(is_active=False)
    assert client.get("/work/people/").status_code == 302


def test_initial_password_allows_only_the_change_page(login, account):
    User.objects.filter(username="taihua_fed").update(must_change_password=True)
    client = login("taihua_fed")
    response = client.get("/work/people/")
    assert response.status_code == 302 and response["Location"] == "/work/password/"
    assert client.get("/work/password/").status_code == 200


def test_password_older_than_ninety_days_must_be_changed(login, account):
    with time_machine.travel("2099-01-01"):
        # The session would also have expired; a fresh login shows the redirect.
        client = Client()
        client.force_login(account("taihua_fed"))
        assert client.get("/work/people/")["Location"] == "/work/password/"


@pytest.mark.parametrize("password", ["abc12345", "abcdefghijk", "Short1!", "password123", "taihua_fed2026A"])
def test_weak_passwords_are_rejected(password, account):
    with pytest.raises(ValidationError):
        validate_password(password, user=account("taihua_fed"))


@pytest.mark.parametrize("password", ["Xk9#mq2Lp0", "correct-horse-battery-staple-Lamp-2026" + "x" * 26])
def test_strong_passwords_are_accepted(password, account):
    validate_password(password, user=account("taihua_fed"))


def test_password_like_the_persons_name_in_pinyin_is_rejected(account):
    with pytest.raises(ValidationError):
        validate_password("YaoHuimin#2026", user=account("taihua_fed"))


@override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.Argon2PasswordHasher"])
def test_passwords_are_stored_with_argon2(account):
    user = account("taihua_fed")
    user.set_password("Xk9#mq2Lp0")
    assert identify_hasher(user.password).algorithm == "argon2"


def test_production_hashers_put_argon2_first():
    from config.settings import base

    assert base.PASSWORD_HASHERS[0].endswith("Argon2PasswordHasher")


def test_next_parameter_cannot_redirect_off_site(demo_password):
    client = Client()
    for target in ("https://evil.example/", "//evil.example/"):
        response = client.post(f"/work/login/?next={target}", {"username": "taihua_fed", "password": demo_password,
                                                               "next": target})
        assert response.status_code == 302
        assert "evil" not in response["Location"]
        client.post("/work/logout/")


def test_an_id_number_or_mobile_typed_as_the_account_name_is_audited_masked(db):
    """L-06 (issue 12): a failed login keeps what was typed, with personal numbers masked."""
    before = AuditEvent.objects.order_by("-chain_index").values_list("chain_index", flat=True).first() or 0
    post_login(Client(), "110101199003074571", "wrong-password")
    post_login(Client(), "mob13800138000", "wrong-password")
    names = list(AuditEvent.objects.filter(event="kernel.auth.login_failed", chain_index__gt=before)
                 .order_by("chain_index").values_list("actor_username", flat=True))
    assert names == ["1101**********4571", "mob138****8000"]
    raw = " ".join(AuditEvent.objects.values_list("actor_username", flat=True))
    assert "110101199003074571" not in raw and "13800138000" not in raw


def test_an_id_number_typed_as_the_account_name_is_masked_in_the_lock_out_rows_too(db):
    """L-06 (issue 12): the lock-out records (django-axes) and the throttling counters keep no
    typed ID number or mobile in clear, and still count the attempts."""
    from axes.models import AccessAttempt

    from gongjian.kernel.models import RateCounter

    for _ in range(5):
        post_login(Client(), "110101199003074571", "wrong-password")
    post_login(Client(), "13800138000", "wrong-password")
    attempts = dict(AccessAttempt.objects.values_list("username", "failures_since_start"))
    assert attempts == {"1101**********4571": 5, "138****8000": 1}
    keys = " ".join(RateCounter.objects.values_list("key", flat=True))
    assert "login-fail-account:" in keys
    assert "110101199003074571" not in keys and "13800138000" not in keys


# --- guessing from elsewhere (issue 12, ADR 0031) ----------------------------------------------------


def test_a_guesser_elsewhere_never_locks_the_owner_out(demo_password):
    guesser = Client(REMOTE_ADDR="10.66.0.1")
    for _ in range(6):
        post_login(guesser, "guojia_women", "wrong-password")
    assert post_login(guesser, "guojia_women", demo_password).status_code == 429
    # She signs in from her own phone: the lock holds the guesser's address only.
    assert post_login(Client(REMOTE_ADDR="10.66.0.2"), "guojia_women", demo_password).status_code == 302


def test_one_address_failing_across_many_accounts_is_throttled(demo_password):
    with time_machine.travel("2026-05-02 09:00 +0800", tick=False):
        robot = Client(REMOTE_ADDR="10.77.0.1")
        for i in range(30):
            post_login(robot, f"guess{i:02d}", "wrong-password")
        refused = post_login(robot, "taihua_fed", demo_password)
        assert refused.status_code == 200 and "_auth_user_id" not in robot.session
        assert "这个网络地址登录失败次数过多" in refused.content.decode()
        answer = Client(REMOTE_ADDR="10.77.0.1").post("/api/v1/auth/token", {"username": "taihua_fed",
                                                                              "password": demo_password},
                                                      content_type="application/json")
        assert answer.status_code == 429 and "网络地址" in answer.json()["detail"]
        # Another address is not concerned.
        assert post_login(Client(REMOTE_ADDR="10.77.0.2"), "taihua_fed", demo_password).status_code == 302
    with time_machine.travel("2026-05-02 09:16 +0800", tick=False):
        assert post_login(Client(REMOTE_ADDR="10.77.0.1"), "taihua_fed", demo_password).status_code == 302


def test_many_addresses_guessing_one_account_slow_it_down_without_locking_it(demo_password):
    with time_machine.travel("2026-05-03 09:00:01 +0800", tick=False) as clock:
        for i in range(5):
            post_login(Client(REMOTE_ADDR=f"10.88.0.{i}"), "lingsha_fed", "wrong-password")
        # One attempt per 10 seconds now: the first goes through, the next in the same slot waits.
        assert post_login(Client(REMOTE_ADDR="10.88.1.1"), "lingsha_fed", demo_password).status_code == 302
        waiting = post_login(Client(REMOTE_ADDR="10.88.1.2"), "lingsha_fed", demo_password)
        assert waiting.status_code == 200 and "请10秒后再试" in waiting.content.decode()
        clock.shift(10)
        assert post_login(Client(REMOTE_ADDR="10.88.1.2"), "lingsha_fed", demo_password).status_code == 302


# --- dormant accounts (A-06, issue 12) ---------------------------------------------------------------


def test_accounts_unused_for_ninety_days_are_deactivated_by_the_job(demo_password, acting):
    from datetime import timedelta

    from django.core.management import call_command
    from django.utils import timezone

    from gongjian.kernel import services

    now = timezone.now()
    old = now - timedelta(days=91)
    User.objects.update(date_joined=old, last_login=None)
    User.objects.filter(username="taihua_fed").update(last_login=old)
    User.objects.filter(username="lingsha_fed").update(last_login=now - timedelta(days=89))
    User.objects.filter(username="secadmin2").update(last_login=now - timedelta(days=1))
    # A program that took an API token yesterday used the account.
    assert Client().post("/api/v1/auth/token", {"username": "guojia_women", "password": demo_password},
                         content_type="application/json").status_code == 200
    from io import StringIO

    out = StringIO()
    call_command("dormant_accounts", stdout=out)
    assert not User.objects.get(username="taihua_fed").is_active
    assert User.objects.get(username="lingsha_fed").is_active and User.objects.get(username="guojia_women").is_active
    assert AuditEvent.objects.filter(event="kernel.account.deactivated_dormant", actor_username="").count() >= 1
    assert "taihua_fed" in out.getvalue()
    # A security admin turns it back on: it gets a fresh 90 days, the next run leaves it alone.
    services.account_set_active(actor=acting("secadmin2"), account=User.objects.get(username="taihua_fed"),
                                active=True)
    assert "taihua_fed" not in services.accounts_deactivate_dormant()
    assert User.objects.get(username="taihua_fed").is_active
    assert "taihua_fed" in services.accounts_deactivate_dormant(now=now + timedelta(days=91))


def test_the_last_security_admins_are_never_made_dormant():
    from datetime import timedelta

    from django.utils import timezone

    from gongjian.kernel import services

    User.objects.update(date_joined=timezone.now() - timedelta(days=200), last_login=None)
    gone = services.accounts_deactivate_dormant()
    assert "taihua_fed" in gone and "secadmin" not in gone and "secadmin2" not in gone
    assert User.objects.filter(admin_role="security", is_active=True).count() == 2


def test_the_security_admin_sees_a_locked_account_as_locked_and_unlocks_it(login, demo_password):
    """The account list matches the lock-out rows through the same (masked) account name."""
    for _ in range(5):
        post_login(Client(), "guojia_women", "wrong-password")
    admin = login("secadmin")
    pages = [admin.get("/work/console/accounts/", {"page": n}).content.decode() for n in (1, 2, 3)]
    row = next(p for p in pages if "<strong>guojia_women</strong>" in p).split("<strong>guojia_women</strong>")[1]
    assert "已锁定" in row.split("</span>\n  <form")[0]
    from axes.models import AccessAttempt

    from gongjian.kernel.models import User

    target = User.objects.get(username="guojia_women")
    admin.post(f"/work/console/accounts/{target.pk}/", {"action": "unlock"})
    assert not AccessAttempt.objects.filter(username="guojia_women").exists()
    assert Client().post("/work/login/", {"username": "guojia_women", "password": demo_password}).status_code == 302
