"""Staff people pages: finding accounts, giving and taking away roles of every kind the apps
register, suspending and reinstating, through the pages as an administrator would."""

import pytest
from allauth.usersessions.models import UserSession
from django.urls import reverse, reverse_lazy

from members.directory.enums import Visibility
from members.directory.models import Profile
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import UserRole
from qcommunity.accounts.roles import get_role
from qcommunity.audit.models import AuditEntry
from qcommunity.core.errors import ServiceError
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.models import OutboxEmail
from qcommunity.people import services
from qcommunity.scoring.models import Panel, PanelMember
from tests.factories.accounts import PASSWORD, UserFactory
from tests.factories.joining import make_round
from tests.factories.panels import staff_user, two_factor_user
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return staff_user()


@pytest.fixture
def admin_client(client, admin):
    """An administrator signed in with both factors who has just re-entered their password."""
    client.force_login(admin)
    response = client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    assert response.status_code == 302
    return client


def person_url(person, page="person-detail"):
    return reverse(f"people-staff:{page}", args=[person.pk])


LIST = reverse_lazy("people-staff:person-list")


def emails_to(person, kind):
    return OutboxEmail.objects.filter(recipient=person.email, kind=kind)


# Finding people --------------------------------------------------------------------------------


def test_search_finds_a_misspelt_surname_an_address_and_an_organisation(admin_client):
    UserFactory(full_name="Priya Ramaswamy", email="p.ram@northshire.example.org")
    UserFactory(full_name="Tom Baker")
    profile = Profile.objects.create(
        user=UserFactory(full_name="Ade Okafor"),
        slug="ade-okafor",
        organisation="Solent Reach Trust",
    )

    page = admin_client.get(
        reverse("people-staff:person-list"), {"q": "Ramaswami"}
    ).content.decode()
    assert "Priya Ramaswamy" in page
    assert "Tom Baker" not in page
    page = admin_client.get(
        reverse("people-staff:person-list"), {"q": "northshire"}
    ).content.decode()
    assert "Priya Ramaswamy" in page
    page = admin_client.get(
        reverse("people-staff:person-list"), {"q": "Solent Reech"}
    ).content.decode()
    assert profile.user.full_name in page
    assert "Priya Ramaswamy" not in page


def test_search_filters_by_role_and_status(admin_client):
    moderator = UserFactory(full_name="Mo Derator", roles=[Role.EXCHANGE_MODERATOR])
    suspended = UserFactory(full_name="Sus Pended", is_active=False)
    UserFactory(full_name="Plain Person")

    page = admin_client.get(
        reverse("people-staff:person-list"), {"role": Role.EXCHANGE_MODERATOR}
    ).content.decode()
    assert moderator.full_name in page
    assert "Plain Person" not in page
    page = admin_client.get(
        reverse("people-staff:person-list"), {"status": "suspended"}
    ).content.decode()
    assert suspended.full_name in page
    assert "Plain Person" not in page


def test_deleted_accounts_are_not_listed(admin_client):
    from qcommunity.privacy.services import account_delete

    gone = UserFactory(full_name="Gone Away")
    account_delete(user=gone)
    page = admin_client.get(LIST, {"q": "Gone"}).content.decode()
    assert "Gone Away" not in page


def test_list_and_account_page_queries_do_not_grow(admin_client, admin):
    def add_people(n):
        for _i in range(n):
            UserFactory(roles=[Role.MEMBER, Role.EDITOR])

    assert_constant_queries(lambda: admin_client.get(LIST), add_people)

    person = two_factor_user(roles=[Role.MEMBER])
    make_round(admin, regions=(Region.WESSEX, Region.WALES, Region.SOUTH_WEST))
    kind = get_role("joining_panel")

    def give_seats(n):
        for scope, _ in [s for s in kind.scopes() if s[0].startswith("region:")][:n]:
            services.person_role_grant(
                actor=admin, user=person, kind=kind, scope=scope, reason="Panel"
            )

    give_seats(1)
    assert_constant_queries(lambda: admin_client.get(person_url(person)), give_seats, many=2)
    assert PanelMember.objects.filter(user=person).count() == 3


# Giving and taking away roles ------------------------------------------------------------------


def test_changing_roles_asks_the_administrator_to_confirm_who_they_are(client, admin):
    person = UserFactory()
    client.force_login(admin)
    response = client.get(person_url(person, "role-grant"))
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
    # A post without a fresh sign-in is held until they confirm, then carried out.
    response = client.post(
        person_url(person, "role-grant"), {"role": "editor", "reason": "Edits the newsletter"}
    )
    assert response.headers["Location"].startswith("/accounts/reauthenticate/")
    assert not UserRole.objects.filter(user=person).exists()
    client.post(response.headers["Location"], {"password": PASSWORD})
    assert UserRole.objects.filter(user=person, role=Role.EDITOR).exists()


def test_give_a_site_wide_role_with_a_reason(admin_client, admin):
    person = UserFactory(full_name="Ed Itor")
    page = admin_client.get(person_url(person, "role-grant")).content.decode()
    assert "Exchange moderator" in page
    assert "Staff administrator" in page

    response = admin_client.post(
        person_url(person, "role-grant") + "?role=exchange_moderator", {"reason": ""}
    )
    assert response.status_code == 200
    assert "Enter a reason" in response.content.decode()
    assert not UserRole.objects.filter(user=person).exists()

    response = admin_client.post(
        person_url(person, "role-grant") + "?role=exchange_moderator",
        {"reason": "Moderating this year's round"},
    )
    assert response.status_code == 302
    held = UserRole.objects.get(user=person, role=Role.EXCHANGE_MODERATOR)
    assert held.reason == "Moderating this year's round"
    assert held.granted_by == admin
    entry = AuditEntry.objects.get(action="role.grant", target_id=str(person.pk))
    assert entry.data["reason"] == "Moderating this year's round"
    email = emails_to(person, "people_role_granted").get()
    assert "Exchange moderator" in email.subject
    assert "Moderating this year's round" in email.body_text
    page = admin_client.get(person_url(person)).content.decode()
    assert "Exchange moderator" in page
    assert "Moderating this year&#39;s round" in page

    # Giving it again changes nothing and says so.
    response = admin_client.post(
        person_url(person, "role-grant") + "?role=exchange_moderator", {"reason": "Again"}
    )
    assert "already holds" in response.content.decode()
    assert emails_to(person, "people_role_granted").count() == 1


def test_a_panel_seat_for_a_region_shows_the_panel_pages_and_taking_it_away_hides_them(
    admin_client, admin, client_for
):
    round_ = make_round(admin, regions=(Region.WESSEX, Region.SOUTH_WEST))
    person = two_factor_user(full_name="Pat Panel")
    page = admin_client.get(person_url(person, "role-grant") + "?role=joining_panel")
    scope = f"region:{round_.pk}:{Region.WESSEX}"
    assert scope in page.content.decode()

    response = admin_client.post(
        person_url(person, "role-grant") + "?role=joining_panel",
        {"scope": scope, "reason": "Wessex panel for wave 3"},
    )
    assert response.status_code == 302, response.content.decode()
    panel = Panel.objects.get(owner_id=round_.pk, region=Region.WESSEX)
    assert PanelMember.objects.filter(panel=panel, user=person).exists()
    assert emails_to(person, "people_role_granted").exists()
    grant = AuditEntry.objects.get(
        action="role.grant", target_id=str(person.pk), data__role="joining_panel"
    )
    assert grant.data["reason"] == "Wessex panel for wave 3"
    assert "Wessex" in grant.data["scope"]

    panel_page = reverse("members:panel-detail", args=[panel.pk])
    person_client = client_for(person)
    assert person_client.get(panel_page).status_code == 200
    admin_client.force_login(admin)
    admin_client.post("/accounts/reauthenticate/", {"password": PASSWORD})

    revoke = person_url(person, "role-revoke") + f"?role=joining_panel&scope=panel:{panel.pk}"
    assert "Take the role away" in admin_client.get(revoke).content.decode()
    response = admin_client.post(revoke, {"reason": "Moved to another region"})
    assert response.status_code == 302
    assert not PanelMember.objects.filter(panel=panel, user=person).exists()
    assert client_for(person).get(panel_page).status_code == 404
    revoked = AuditEntry.objects.get(
        action="role.revoke", target_id=str(person.pk), data__role="joining_panel"
    )
    assert revoked.data["reason"] == "Moved to another region"
    assert emails_to(person, "people_role_revoked").exists()


def test_making_someone_a_member_directly_creates_their_hidden_entry(admin_client):
    person = UserFactory(full_name="Founding Fellow")
    response = admin_client.post(
        person_url(person, "role-grant") + "?role=member", {"reason": "Founding cohort"}
    )
    assert response.status_code == 302
    assert UserRole.objects.get(user=person, role=Role.MEMBER).reason == "Founding cohort"
    assert Profile.objects.get(user=person).visibility == Visibility.HIDDEN

    profile = Profile.objects.get(user=person)
    profile.visibility = Visibility.PUBLIC
    profile.save()
    revoke = person_url(person, "role-revoke") + "?role=member&scope="
    admin_client.post(revoke, {"reason": "Left the programme"})
    assert not UserRole.objects.filter(user=person, role=Role.MEMBER).exists()
    assert Profile.objects.get(user=person).visibility == Visibility.HIDDEN


def test_the_last_administrator_cannot_lose_the_role(admin_client, admin):
    revoke = person_url(admin, "role-revoke") + "?role=staff_admin&scope="
    response = admin_client.post(revoke, {"reason": "Leaving"})
    assert response.status_code == 200
    assert "last staff administrator" in response.content.decode()
    assert admin.has_role(Role.STAFF_ADMIN)
    UserRole.objects.get(user=admin, role=Role.STAFF_ADMIN)

    # With a second administrator, the role can go.
    other = staff_user()
    response = admin_client.post(revoke, {"reason": "Leaving"})
    assert response.status_code == 302
    assert not UserRole.objects.filter(user=admin, role=Role.STAFF_ADMIN).exists()
    # ...and now the other is the last one: not even a suspension removes them.
    with pytest.raises(ServiceError, match="last staff administrator"):
        services.person_role_revoke(
            actor=other, user=other, kind=get_role(Role.STAFF_ADMIN), reason="Bye"
        )


def test_a_suspended_administrator_does_not_count_as_the_other_one(admin):
    other = staff_user()
    services.person_suspend(actor=admin, user=other, reason="On leave")
    with pytest.raises(ServiceError, match="last staff administrator"):
        services.person_role_revoke(
            actor=other, user=admin, kind=get_role(Role.STAFF_ADMIN), reason="x"
        )


def test_only_administrators_give_roles(client_for, admin):
    editor = two_factor_user(roles=[Role.EDITOR, Role.MEMBER])
    moderator = two_factor_user(roles=[Role.EXCHANGE_MODERATOR, Role.MEMBER])
    person = UserFactory()
    for actor in (editor, moderator):
        client = client_for(actor)
        client.post("/accounts/reauthenticate/", {"password": PASSWORD})
        for page in ("person-list", "person-detail", "role-grant", "role-revoke"):
            path = reverse(
                f"people-staff:{page}", args=[] if page == "person-list" else [person.pk]
            )
            assert client.get(path).status_code == 404
        response = client.post(
            person_url(person, "role-grant") + "?role=staff_admin", {"reason": "Promote me"}
        )
        assert response.status_code == 404
        for key in (Role.STAFF_ADMIN, Role.MEMBER):
            with pytest.raises(ServiceError):
                services.person_role_grant(
                    actor=actor, user=actor, kind=get_role(key), reason="Self-service"
                )
    assert not UserRole.objects.filter(user=person).exists()
    assert not editor.roles.filter(role=Role.STAFF_ADMIN).exists()


def test_a_deleted_account_takes_no_change(admin):
    from qcommunity.privacy.services import account_delete

    gone = UserFactory()
    account_delete(user=gone)
    with pytest.raises(ServiceError, match="deleted"):
        services.person_role_grant(
            actor=admin, user=gone, kind=get_role(Role.MEMBER), reason="Back"
        )


# Suspending ------------------------------------------------------------------------------------


def test_suspending_signs_out_everywhere_and_stops_sign_in_and_reinstating_undoes_it(
    admin_client, admin, client
):
    from django.test import Client

    person = UserFactory(full_name="Sam Pended", roles=[Role.MEMBER])
    their_browser = Client()
    their_browser.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert UserSession.objects.filter(user=person).exists()
    assert their_browser.get("/me/profile/").status_code != 302

    response = admin_client.post(
        person_url(person, "account-suspend"), {"reason": "Reported for spam"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    assert not UserSession.objects.filter(user=person).exists()
    assert their_browser.get("/me/profile/").headers["Location"].startswith("/accounts/login/")
    response = their_browser.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert "_auth_user_id" not in their_browser.session
    assert UserRole.objects.filter(user=person, role=Role.MEMBER).exists()  # roles stay
    assert emails_to(person, "people_account_suspended").exists()
    assert AuditEntry.objects.filter(action="account.suspend", data__reason="Reported for spam")

    response = admin_client.post(person_url(person, "account-reinstate"), {"reason": "Cleared"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.is_active
    response = their_browser.post("/accounts/login/", {"login": person.email, "password": PASSWORD})
    assert response.status_code == 302
    assert emails_to(person, "people_account_reinstated").exists()


def test_administrators_cannot_suspend_themselves(admin_client, admin):
    response = admin_client.post(person_url(admin, "account-suspend"), {"reason": "Oops"})
    assert response.status_code == 200
    assert "your own account" in response.content.decode()
    admin.refresh_from_db()
    assert admin.is_active


# Downloading accounts --------------------------------------------------------------------------


def test_the_accounts_download_follows_the_search_is_formula_safe_and_audited(admin_client):
    UserFactory(full_name="=HYPERLINK(1)", email="sheet@example.org", roles=[Role.EDITOR])
    UserFactory(full_name="Other Person", email="other@example.org")
    response = admin_client.get(
        reverse("people-staff:person-export"), {"q": "sheet", "status": "active"}
    )
    assert response.status_code == 200
    assert "accounts-q-sheet-status-active-" in response["Content-Disposition"]
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = body.splitlines()
    assert lines[0].startswith("Name,Called,Email,Account,Roles")
    assert len(lines) == 2
    assert lines[1].startswith("'=HYPERLINK(1)")
    assert "Editor" in lines[1]
    assert "other@example.org" not in body
    entry = AuditEntry.objects.get(action="people.export_accounts")
    assert entry.data["rows"] == 1
    assert entry.data["filters"] == {"q": "sheet", "status": "active"}


def test_the_accounts_download_runs_the_same_queries_for_one_and_many(admin_client):
    def add(n):
        for _ in range(n):
            UserFactory(roles=[Role.MEMBER])

    def download():
        response = admin_client.get(reverse("people-staff:person-export"))
        b"".join(response.streaming_content)

    assert_constant_queries(download, add)


def test_only_staff_download_accounts(client_for):
    editor = two_factor_user(roles=[Role.EDITOR])
    assert client_for(editor).get(reverse("people-staff:person-export")).status_code == 404
    assert not AuditEntry.objects.filter(action="people.export_accounts").exists()
