"""Logins and sessions (issue 9, item 4): password rules, lockout after repeated failures (django-axes) with an
unlock by the area administrator, the optional TOTP second factor, and the client address in the audit log."""

from __future__ import annotations

import pytest
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client, RequestFactory
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from doudi.accounts.models import User
from doudi.audit.models import AuditEvent
from doudi.core.net import client_ip
from tests import factories as f

pytestmark = pytest.mark.django_db

PASSWORD = "test-pass-123"  # tests/factories.user


def login(client: Client, username: str, password: str, ip: str = "10.0.0.1"):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=ip)


# --- passwords ----------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("password", ["zhangsan", "zhangsan1", "12345678901", "password", "abc12"])
def test_weak_passwords_are_refused(password):
    user = User(username="zhangsan", display_name="张三")
    with pytest.raises(ValidationError):
        validate_password(password, user)


def test_a_sound_password_passes():
    validate_password("Quiet-river-2026", User(username="zhangsan"))


def test_own_password_change_needs_the_old_one_checks_strength_and_is_audited(client, people):
    client.force_login(people.owner)
    url = reverse("accounts:password_change")
    bad = client.post(url, {"old_password": PASSWORD, "new_password1": "owner", "new_password2": "owner"})
    assert bad.status_code == 400 and User.objects.get(pk=people.owner.pk).check_password(PASSWORD)
    wrong_old = client.post(url, {"old_password": "nope", "new_password1": "Quiet-river-2026",
                                  "new_password2": "Quiet-river-2026"})
    assert wrong_old.status_code == 400
    ok = client.post(url, {"old_password": PASSWORD, "new_password1": "Quiet-river-2026",
                           "new_password2": "Quiet-river-2026"})
    assert ok.status_code == 302 and User.objects.get(pk=people.owner.pk).check_password("Quiet-river-2026")
    event = AuditEvent.objects.get(object_type="accounts.user", action="update", actor=people.owner)
    assert "Quiet-river-2026" not in str(event.changes) and event.reason == "本人修改密码"


# --- lockout ------------------------------------------------------------------------------------------------------


def test_repeated_failures_lock_the_user_from_that_address_with_a_chinese_message(client, people, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert login(client, "owner", "wrong-guess").status_code == 200
    assert login(client, "owner", "wrong-guess").status_code == 429, "the last allowed failure locks"
    assert AuditEvent.objects.filter(action="login_failed", reason="登录失败次数过多，已锁定").count() == 1
    locked = login(client, "owner", PASSWORD)
    assert locked.status_code == 429
    body = locked.content.decode()
    assert "登录失败次数过多" in body and "30 分钟" in body
    assert "_auth_user_id" not in client.session, "the right password does not get in while locked"
    # another address is not locked out by someone else's guessing
    assert login(Client(), "owner", PASSWORD, ip="10.0.0.2").status_code == 302


def test_the_area_administrator_unlocks_and_the_user_gets_in(client, people, tree, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        login(client, "owner", "wrong-guess")
    assert login(client, "owner", PASSWORD).status_code == 429
    admin = f.user("town_admin", (tree.town_a, "administrator"), region=tree.town_a)
    people.owner.region = tree.town_a
    people.owner.save()
    admin_client = Client()
    admin_client.force_login(admin)
    assert "登录已锁定" in admin_client.get(reverse("accounts:user_detail", args=[people.owner.pk])).content.decode()
    assert admin_client.post(reverse("accounts:user_unlock", args=[people.owner.pk])).status_code == 302
    assert AuditEvent.objects.filter(object_id=str(people.owner.pk), reason="解除登录锁定").exists()
    assert login(client, "owner", PASSWORD).status_code == 302


# --- second factor ------------------------------------------------------------------------------------------------


def _code(device: TOTPDevice, offset: int = 0) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits, drift=offset):06d}"


@pytest.fixture
def enrolled(people):
    """The township caseworker (an approver) enrols an authenticator through the screen."""
    client = Client()
    client.force_login(people.owner)
    page = client.get(reverse("accounts:second_factor"))
    assert page.status_code == 200
    body = page.content.decode()
    assert "<svg" in body and 'data-testid="secret"' in body
    device = TOTPDevice.objects.get(user=people.owner, confirmed=False)
    wrong = client.post(reverse("accounts:second_factor"), {"token": "000000" if _code(device) != "000000" else "1"})
    assert wrong.status_code == 400 and not TOTPDevice.objects.filter(user=people.owner, confirmed=True).exists()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1, "a wrong code counts towards the throttle"
    device.throttle_reset()
    assert client.post(reverse("accounts:second_factor"), {"token": _code(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert AuditEvent.objects.filter(actor=people.owner, reason="启用两步验证").exists()
    return device


def test_with_an_authenticator_the_password_alone_reaches_only_the_code_page(enrolled, people, settings):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # the wait after a wrong code is tested below
    client = Client()
    response = login(client, "owner", PASSWORD)
    assert response.status_code == 302 and response["Location"].startswith(reverse("login_verify"))
    # every page, export and the API wait for the code
    home = client.get(reverse("registry:household_list"))
    assert home.status_code == 302 and home["Location"].startswith(reverse("login_verify"))
    api = client.get("/api/cases/")
    assert api.status_code == 401 and api.json()["code"] == "second_factor_required"
    bad = client.post(reverse("login_verify"), {"token": "12345", "next": "/registry/"})
    assert bad.status_code == 400 and "验证码不正确" in bad.content.decode()
    assert AuditEvent.objects.filter(action="login_failed", reason="两步验证码错误").exists()
    good = client.post(reverse("login_verify"), {"token": _code(enrolled, offset=1), "next": "/registry/"})
    assert good.status_code == 302 and good["Location"] == "/registry/"
    assert client.get(reverse("registry:household_list")).status_code == 200


def test_after_a_wrong_code_even_the_right_one_must_wait(enrolled):
    client = Client()
    login(client, "owner", PASSWORD)
    client.post(reverse("login_verify"), {"token": "1"})
    response = client.post(reverse("login_verify"), {"token": _code(enrolled, offset=1)})
    assert response.status_code == 400, "guessing is slowed down: each failure doubles the wait"
    assert client.get(reverse("registry:household_list")).status_code == 302


def test_the_code_page_never_redirects_off_site(enrolled):
    client = Client()
    login(client, "owner", PASSWORD)
    response = client.post(reverse("login_verify"), {"token": _code(enrolled, offset=1),
                                                      "next": "https://evil.example/x"})
    assert response.status_code == 302 and response["Location"] == reverse("web:home")


def test_a_lost_phone_is_reset_by_an_administrator_above(enrolled, people, tree):
    # The user cannot just switch it off without a code from the phone.
    client = Client()
    client.force_login(people.owner)
    client.get(reverse("accounts:second_factor"))  # redirected to the code page: the session is not verified
    assert TOTPDevice.objects.filter(user=people.owner, confirmed=True).exists()
    admin = f.user("county_admin", (tree.county, "administrator"), region=tree.county)
    people.owner.region = tree.town_a
    people.owner.save()
    admin_client = Client()
    admin_client.force_login(admin)
    response = admin_client.post(reverse("accounts:user_second_factor_reset", args=[people.owner.pk]))
    assert response.status_code == 302 and not TOTPDevice.objects.filter(user=people.owner).exists()
    assert AuditEvent.objects.filter(actor=admin, reason="重置两步验证").exists()
    fresh = Client()
    assert login(fresh, "owner", PASSWORD)["Location"] == reverse("web:home")


def test_enrolment_is_for_administrators_and_approvers(people, tree):
    client = Client()
    client.force_login(people.auditor)  # read-only: no second factor screen
    assert client.get(reverse("accounts:second_factor")).status_code == 404
    assert "两步验证" not in client.get(reverse("web:home")).content.decode()


# --- the client address -------------------------------------------------------------------------------------------


def _request(remote: str, forwarded: str | None = None):
    meta = {"REMOTE_ADDR": remote}
    if forwarded is not None:
        meta["HTTP_X_FORWARDED_FOR"] = forwarded
    return RequestFactory().get("/", **meta)


def test_the_forwarded_header_is_ignored_unless_proxies_are_configured(settings):
    settings.TRUSTED_PROXIES = 0
    assert client_ip(_request("10.1.1.1", "6.6.6.6")) == "10.1.1.1"
    settings.TRUSTED_PROXIES = 1
    # the client may prepend anything; the one proxy appended the real address last
    assert client_ip(_request("10.1.1.1", "6.6.6.6, 203.0.113.7")) == "203.0.113.7"
    settings.TRUSTED_PROXIES = 2
    assert client_ip(_request("10.1.1.1", "6.6.6.6, 203.0.113.7, 10.0.0.9")) == "203.0.113.7"
    # fewer hops than trusted proxies, or garbage: the socket address
    assert client_ip(_request("10.1.1.1", "203.0.113.7")) == "10.1.1.1"
    assert client_ip(_request("10.1.1.1", "not-an-ip, 10.0.0.9")) == "10.1.1.1"


def test_the_audit_log_records_the_configured_client_address(client, people, settings):
    settings.TRUSTED_PROXIES = 1
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1",
                HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert AuditEvent.objects.get(action="login").ip == "203.0.113.7"
    settings.TRUSTED_PROXIES = 0
    client.post(reverse("login"), {"username": "owner", "password": PASSWORD}, REMOTE_ADDR="10.1.1.1",
                HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert AuditEvent.objects.filter(action="login").latest("id").ip == "10.1.1.1"
