"""Password guessing (等保 level 3, 登录失败处理): through the login form, as an attacker would try it.

Main took 30 wrong passwords and then the right one, and 50 more against admin with no delay.
"""

import datetime as dt
import re
from io import StringIO

import pytest
from axes.models import AccessAttempt
from django.core import mail
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from govinfo.audit.models import AuditEvent
from govinfo.orgs.models import Role
from tests.factories import PASSWORD, member

pytestmark = pytest.mark.django_db

LOGIN = "/accounts/login/"


def attempt(client, username, password, address="10.1.2.3"):
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=address)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


@pytest.fixture
def clerk(unit):
    return member(Role.APPLICANT, unit=unit, username="clerk-guessed")


def test_five_wrong_passwords_lock_the_account_and_the_right_one_is_then_refused(client, clerk):
    for _ in range(4):
        assert attempt(client, clerk.username, "wrong-guess").status_code == 200
    locked = attempt(client, clerk.username, "wrong-guess")
    assert locked.status_code == 429
    page = locked.content.decode()
    assert "该账号已暂时锁定" in page and re.search(r"请于 \d\d:\d\d 后（约 30 分钟）再试", page)

    right = attempt(client, clerk.username, PASSWORD)
    assert right.status_code == 429 and not logged_in(client)
    assert "该账号已暂时锁定" in right.content.decode()


def test_the_page_gives_the_time_the_lock_ends_and_it_ends_then(client, clerk):
    for _ in range(5):
        attempt(client, clerk.username, "wrong-guess")
    until = timezone.localtime(AccessAttempt.objects.get().attempt_time + dt.timedelta(minutes=30))
    assert f"请于 {until:%H:%M} 后" in attempt(client, clerk.username, PASSWORD).content.decode()
    # Attempts during the lockout do not push it back; once the cool-off has passed, the right password works.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert attempt(client, clerk.username, PASSWORD).status_code == 302 and logged_in(client)


def test_the_account_stays_locked_from_another_address(client, clerk):
    for _ in range(5):
        attempt(client, clerk.username, "wrong-guess", address="10.0.0.1")
    refused = attempt(client, clerk.username, PASSWORD, address="10.9.9.9")
    assert refused.status_code == 429 and not logged_in(client)


def test_an_address_guessing_across_accounts_is_locked_after_twenty_failures(client, clerk):
    for n in range(20):
        attempt(client, f"someone-{n}", "wrong-guess", address="10.6.6.6")
    refused = attempt(client, clerk.username, PASSWORD, address="10.6.6.6")
    assert refused.status_code == 429 and not logged_in(client)
    assert "从您所在网络地址登录失败的次数过多" in refused.content.decode()
    # Colleagues elsewhere are not affected.
    assert attempt(client, clerk.username, PASSWORD, address="10.7.7.7").status_code == 302


def test_a_successful_login_clears_the_accounts_count(client, clerk):
    for _ in range(4):
        attempt(client, clerk.username, "wrong-guess")
    assert attempt(client, clerk.username, PASSWORD).status_code == 302
    client.logout()
    for _ in range(4):
        attempt(client, clerk.username, "wrong-guess")
    assert attempt(client, clerk.username, PASSWORD).status_code == 302


def test_a_lockout_is_written_to_the_audit_trail_once(client, clerk):
    for _ in range(7):
        attempt(client, clerk.username, "wrong-guess")
    events = AuditEvent.objects.filter(action="govinfo.user.locked_out")
    assert events.count() == 1
    event = events.get()
    assert event.target_id == str(clerk.pk) and event.ip_address == "10.1.2.3"
    assert event.details["username"] == clerk.username and event.details["scope"] == "account"
    assert AuditEvent.objects.filter(action="govinfo.user.login_failed").count() == 7


def test_an_administrator_unlocks_an_account_from_the_user_list(client, clerk, admin_user):
    for _ in range(5):
        attempt(client, clerk.username, "wrong-guess")
    client.force_login(admin_user)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "unlock_logins", "_selected_action": [clerk.pk]},
        follow=True,
    )
    assert "已解除登录锁定：clerk-guessed" in response.content.decode()
    assert AuditEvent.objects.filter(action="govinfo.user.unlocked", target_id=str(clerk.pk)).exists()
    client.logout()
    assert attempt(client, clerk.username, PASSWORD).status_code == 302


def test_the_lockout_page_is_in_english_for_english_users(client, clerk):
    client.cookies["django_language"] = "en"
    for _ in range(5):
        response = attempt(client, clerk.username, "wrong-guess")
    assert response.status_code == 429


# --- password change and reset ----------------------------------------------------------------


def test_a_user_changes_their_own_password_under_the_validators(client, clerk):
    client.force_login(clerk)
    assert client.get(reverse("password_change")).status_code == 200
    weak = client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert weak.status_code == 200
    assert weak.context["form"].errors["new_password2"] == [
        "密码太短，至少需要 10 个字符。",
        "这个密码太常见了。",
        "密码只包含数字。",
    ]
    new = "Sichuan-Tianfu-2026!"
    done = client.post(
        reverse("password_change"), {"old_password": PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert done.status_code == 302 and done["Location"] == reverse("password_change_done")
    clerk.refresh_from_db()
    assert clerk.check_password(new)
    assert AuditEvent.objects.filter(action="govinfo.user.password_changed", actor=clerk).exists()


def test_the_password_change_page_needs_a_login(client):
    response = client.get(reverse("password_change"))
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_a_locked_user_resets_the_password_by_mail_and_is_unlocked(client, clerk, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.SITE_URL = "https://govinfo.example.gov.cn"
    clerk.email = "clerk@example.gov.cn"
    clerk.save()
    for _ in range(5):
        attempt(client, clerk.username, "wrong-guess")
    assert 'href="/accounts/password/reset/"' in client.get(LOGIN).content.decode()

    sent = client.post(reverse("password_reset"), {"email": "clerk@example.gov.cn"})
    assert sent.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https://govinfo\.example\.gov\.cn(/accounts/password/reset/\S+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body
    form_page = client.get(link.group(1), follow=True)
    assert form_page.context["validlink"]
    new = "Sichuan-Tianfu-2026!"
    client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    clerk.refresh_from_db()
    assert clerk.check_password(new)
    assert AuditEvent.objects.filter(action="govinfo.user.password_reset", target_id=str(clerk.pk)).exists()
    assert attempt(client, clerk.username, new).status_code == 302


def test_a_reset_for_an_unknown_address_sends_nothing_and_says_the_same(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    response = client.post(reverse("password_reset"), {"email": "nobody@example.gov.cn"})
    assert response.status_code == 302 and mail.outbox == []


# --- the demo loader on a production site -----------------------------------------------------


def test_the_demo_loader_refuses_known_passwords_on_a_production_site(settings):
    settings.DEBUG = False
    settings.GOVINFO_ALLOW_DEMO_PASSWORDS = False
    with pytest.raises(CommandError, match="--allow-demo-passwords"):
        call_command("load_demo", stdout=StringIO())
    from django.contrib.auth import get_user_model

    assert not get_user_model().objects.filter(username="admin").exists()


def test_the_demo_loader_loads_when_told_explicitly(settings):
    settings.GOVINFO_ALLOW_DEMO_PASSWORDS = False
    out = StringIO()
    call_command("load_demo", "--allow-demo-passwords", stdout=out)
    assert "govinfo-demo-2026" in out.getvalue()
