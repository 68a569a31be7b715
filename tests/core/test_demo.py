import pytest
from django.core.management import call_command
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User, UserRole
from qcommunity.core.demo import DEMO_ACCOUNTS, DEMO_PASSWORD

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_one_account_per_role_and_is_idempotent(capsys):
    call_command("seed_demo")
    total = User.objects.count()
    call_command("seed_demo")
    assert User.objects.count() == total
    emails = [account.email for account in DEMO_ACCOUNTS]
    assert User.objects.filter(email__in=emails).count() == len(DEMO_ACCOUNTS)
    held = set(UserRole.objects.values_list("role", flat=True))
    assert held == set(Role.values)
    out = capsys.readouterr().out
    for account in DEMO_ACCOUNTS:
        assert account.email in out
    assert DEMO_PASSWORD in out


def test_every_demo_account_can_sign_in_with_the_printed_password(client):
    call_command("seed_demo")
    assert {"panel@demo.q.example", "chair@demo.q.example"} <= {a.email for a in DEMO_ACCOUNTS}
    for account in DEMO_ACCOUNTS:
        response = client.post(
            "/accounts/login/", {"login": account.email, "password": DEMO_PASSWORD}
        )
        assert response.status_code == 302, account.email
        user = User.objects.get(email=account.email)
        expected = "/accounts/2fa/authenticate/" if user.needs_two_factor else "/"
        assert response.headers["Location"] == expected, account.email
        client.logout()


def test_demo_accounts_with_two_factor_complete_sign_in_with_the_demo_code(client):
    from qcommunity.core.demo import current_demo_code

    call_command("seed_demo")
    signed_in = []
    for account in DEMO_ACCOUNTS:
        user = User.objects.get(email=account.email)
        if not user.needs_two_factor:
            continue
        client.post("/accounts/login/", {"login": account.email, "password": DEMO_PASSWORD})
        response = client.post("/accounts/2fa/authenticate/", {"code": current_demo_code()})
        assert response.status_code == 302, account.email
        assert response.headers["Location"] == "/", account.email
        assert client.get("/").wsgi_request.user == user
        signed_in.append(account.email)
        client.logout()
    assert {"panel@demo.q.example", "chair@demo.q.example", "admin@demo.q.example"} <= set(
        signed_in
    )


def test_two_factor_demo_accounts_have_recovery_codes_their_security_page_links(client_for):
    from allauth.mfa.models import Authenticator

    from qcommunity.core.demo import WITHOUT_RECOVERY_CODES

    call_command("seed_demo")
    codes = Authenticator.Type.RECOVERY_CODES
    with_codes = set(Authenticator.objects.filter(type=codes).values_list("user__email", flat=True))
    two_factor = {
        account.email
        for account in DEMO_ACCOUNTS
        if User.objects.get(email=account.email).needs_two_factor
    }
    # All but one, whose page offers to create them instead.
    assert with_codes == two_factor - {WITHOUT_RECOVERY_CODES}
    assert WITHOUT_RECOVERY_CODES in two_factor
    for email, expected, other in (
        ("admin@demo.q.example", "mfa_view_recovery_codes", "mfa_generate_recovery_codes"),
        (WITHOUT_RECOVERY_CODES, "mfa_generate_recovery_codes", "mfa_view_recovery_codes"),
    ):
        page = client_for(User.objects.get(email=email)).get(reverse("mfa_index"))
        assert f'href="{reverse(expected)}"' in page.content.decode(), email
        assert f'href="{reverse(other)}"' not in page.content.decode(), email
    call_command("seed_demo")
    assert Authenticator.objects.filter(type=codes).count() == len(with_codes)
