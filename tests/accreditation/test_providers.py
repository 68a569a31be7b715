"""Provider organisations: registering one (the person becomes its admin, it waits for a
coordinator), its pages seen only by its staff, coordinators and staff administrators (404 for
anyone else), programmes, inviting staff by email and accepting with or without an account,
removing staff (never the last admin), and coordinators verifying a new organisation."""

import re

import pytest
from django.urls import reverse

from accreditation.providers import services
from accreditation.providers.enums import StaffRole
from accreditation.providers.models import Organisation, Programme, ProviderStaff
from accreditation.roles import PROVIDER_STAFF
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.audit.models import AuditEntry
from qcommunity.outbox.models import OutboxEmail
from qcommunity.people import invitations
from qcommunity.people import services as people
from qcommunity.people.models import Invitation, InvitationStatus
from qcommunity.people.services import PeopleError
from tests.factories.accounts import UserFactory
from tests.factories.panels import staff_user, two_factor_user
from tests.factories.providers import make_organisation, programme_fields
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

REGISTER = reverse("accreditation:organisation-register")
STAFF_LIST = reverse("accreditation-staff:organisation-list")


def org_url(name: str, organisation, *args) -> str:
    return reverse(f"accreditation:{name}", args=[organisation.slug, *args])


def organisation_pages(organisation) -> list[str]:
    return [
        org_url("organisation-detail", organisation),
        org_url("staff-list", organisation),
    ]


def link_in(email: OutboxEmail) -> str:
    return re.search(r"/invitations/[^/\s]+/", email.body_text).group(0)


@pytest.fixture
def admin():
    return two_factor_user(full_name="Imogen Hartley")


@pytest.fixture
def organisation(admin):
    return make_organisation(admin)


def test_registering_makes_an_unverified_organisation_with_the_person_as_its_admin(client):
    person = two_factor_user(full_name="Ada Founder")
    client.force_login(person)
    form = {
        "name": "  Breathe   Easy Wessex ",
        "kind": "charity",
        "regions": ["wessex", "south_west"],
        "website": "breathe-easy.example.org",
    }
    response = client.post(REGISTER, form)
    organisation = Organisation.objects.get()
    assert response.status_code == 302
    assert response.url == org_url("organisation-detail", organisation)
    assert organisation.name == "Breathe Easy Wessex"
    assert organisation.slug == "breathe-easy-wessex"
    assert organisation.website == "https://breathe-easy.example.org"
    assert organisation.verified_at is None
    assert organisation.created_by == person
    row = ProviderStaff.objects.get()
    assert (row.user, row.role) == (person, StaffRole.ADMIN)
    assert User.objects.get(pk=person.pk).has_role(Role.PROVIDER_ADMIN)
    assert AuditEntry.objects.filter(action="provider.register").count() == 1
    page = client.get(response.url).content.decode()
    assert "Waiting for verification" in page
    assert '<a href="https://breathe-easy.example.org">' in page

    # The same name again (any case, any spacing) is refused and nothing is written.
    page = client.post(REGISTER, {**form, "name": "breathe easy WESSEX"}).content.decode()
    assert "An organisation with this name is already registered" in page
    assert Organisation.objects.count() == 1


def test_a_provider_admin_must_use_two_factor_authentication(client):
    person = UserFactory()
    assert not person.needs_two_factor
    make_organisation(person, name="Any Provider")
    assert User.objects.get(pk=person.pk).needs_two_factor


def test_registering_checks_every_field_and_writes_nothing(client):
    client.force_login(two_factor_user())
    page = client.post(
        REGISTER, {"name": "", "kind": "pirate", "regions": ["atlantis"], "website": "not a url"}
    ).content.decode()
    assert "There is a problem" in page
    assert "Enter the organisation&#39;s name" in page
    assert "Enter a web address" in page
    assert "Choose what kind of organisation it is" in page
    assert "Choose regions from the list" in page
    assert not Organisation.objects.exists()
    assert not ProviderStaff.objects.exists()


def test_a_reserved_word_is_never_an_organisations_address(admin):
    organisation = make_organisation(admin, name="Register")
    assert organisation.slug == "register-organisation"
    assert make_organisation(admin, name="Register!").slug == "register-organisation-2"


def test_an_organisations_pages_are_for_its_staff_coordinators_and_staff_admins(
    client, organisation, admin
):
    other_admin = two_factor_user()
    make_organisation(other_admin, name="Another Provider")
    for person, expected in [
        (admin, 200),
        (two_factor_user(roles=[Role.ACCREDITATION_COORDINATOR]), 200),
        (staff_user(), 200),
        (other_admin, 404),
        (UserFactory(roles=[Role.MEMBER]), 404),
        (two_factor_user(roles=[Role.ASSESSOR]), 404),
    ]:
        client.force_login(person)
        for path in organisation_pages(organisation):
            assert client.get(path).status_code == expected, (person, path)
    client.logout()
    assert client.get(org_url("organisation-detail", organisation)).status_code == 302
    client.force_login(admin)
    assert client.get("/accreditation/providers/no-such-place/").status_code == 404


def test_a_contributor_works_on_programmes_but_not_the_details_or_staff(client, organisation):
    contributor = UserFactory()
    ProviderStaff.objects.create(
        organisation=organisation, user=contributor, role=StaffRole.CONTRIBUTOR
    )
    client.force_login(contributor)
    assert client.get(org_url("programme-create", organisation)).status_code == 200
    for path in [
        org_url("organisation-edit", organisation),
        org_url("staff-invite", organisation),
        org_url("staff-remove", organisation, contributor.pk),
    ]:
        assert client.get(path).status_code == 404, path
    response = client.post(
        org_url("organisation-edit", organisation),
        {"name": "Hijacked", "kind": "company", "regions": ["wessex"]},
    )
    assert response.status_code == 404
    organisation.refresh_from_db()
    assert organisation.name == "Living Well Together"
    page = client.get(org_url("staff-list", organisation)).content.decode()
    assert "Invite someone" not in page


def test_an_admin_changes_the_details_and_the_address_stays(client, organisation, admin):
    client.force_login(admin)
    response = client.post(
        org_url("organisation-edit", organisation),
        {"name": "Living Well Wessex", "kind": "social_enterprise", "regions": ["wessex"]},
    )
    assert response.status_code == 302
    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind) == ("Living Well Wessex", "social_enterprise")
    assert organisation.slug == "living-well-together"
    entry = AuditEntry.objects.get(action="provider.update")
    assert entry.data == {"changed": ["kind", "name"]}


def test_programmes_are_added_changed_and_removed(client, organisation, admin):
    client.force_login(admin)
    form = {
        "name": "Taking Charge of Diabetes",
        "conditions": "Type 2 diabetes",
        "formats": ["group", "online"],
        "licensed": "yes",
        "licence_name": "",
        "deliverers": "12",
        "trainers": "2",
    }
    page = client.post(org_url("programme-create", organisation), form).content.decode()
    assert "Enter the name of the licensed course" in page
    assert not Programme.objects.exists()

    response = client.post(
        org_url("programme-create", organisation), {**form, "licence_name": "DESMOND"}
    )
    assert response.status_code == 302
    programme = Programme.objects.get()
    assert programme.formats == ["group", "online"]
    assert (programme.licensed, programme.licence_name) == (True, "DESMOND")
    page = client.get(org_url("organisation-detail", organisation)).content.decode()
    assert "Licensed: DESMOND" in page

    response = client.post(
        org_url("programme-edit", organisation, programme.pk),
        {**form, "licensed": "no", "licence_name": "Left over", "deliverers": "-1"},
    )
    assert "Enter a whole number from 0 to 100,000" in response.content.decode()
    response = client.post(
        org_url("programme-edit", organisation, programme.pk),
        {**form, "licensed": "no", "licence_name": "Left over"},
    )
    assert response.status_code == 302
    programme.refresh_from_db()
    assert (programme.licensed, programme.licence_name) == (False, "")

    # Another organisation's programme is not reachable through this one's address.
    elsewhere = make_organisation(two_factor_user(), name="Elsewhere")
    theirs = services.programme_add(
        actor=elsewhere.staff.get().user, organisation=elsewhere, **programme_fields()
    )
    assert client.get(org_url("programme-edit", organisation, theirs.pk)).status_code == 404
    assert client.post(org_url("programme-remove", organisation, theirs.pk)).status_code == 404
    assert Programme.objects.filter(pk=theirs.pk).exists()

    assert client.get(org_url("programme-remove", organisation, programme.pk)).status_code == 200
    response = client.post(org_url("programme-remove", organisation, programme.pk))
    assert response.status_code == 302
    assert not Programme.objects.filter(pk=programme.pk).exists()
    assert AuditEntry.objects.filter(action="provider.programme_remove").count() == 1
    # A second submit of the same removal finds nothing.
    assert client.post(org_url("programme-remove", organisation, programme.pk)).status_code == 404


def test_the_database_refuses_a_licensed_programme_without_its_licence(organisation):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        Programme.objects.create(
            organisation=organisation, name="X", conditions="Y", formats=["group"], licensed=True
        )


def test_an_admin_invites_people_who_accept_with_and_without_an_account(
    client, organisation, admin
):
    existing = two_factor_user(email="has.account@example.org", full_name="Has Account")
    elsewhere = make_organisation(existing, name="Their First Provider")
    client.force_login(admin)
    invite = org_url("staff-invite", organisation)
    page = client.post(invite, {"name": "", "email": "nope", "role": ""}).content.decode()
    assert "Enter the person&#39;s name" in page
    assert not Invitation.objects.exists()
    for name, email, role in [
        ("Has Account", "Has.Account@example.org", "admin"),
        ("New Person", "new.person@example.org", "contributor"),
    ]:
        response = client.post(invite, {"name": name, "email": email, "role": role})
        assert response.status_code == 302
    assert Invitation.objects.filter(invited_by=admin, status=InvitationStatus.PENDING).count() == 2
    page = client.get(org_url("staff-list", organisation)).content.decode()
    assert "new.person@example.org" in page
    emails = {e.recipient: e for e in OutboxEmail.objects.filter(kind="people_invitation")}

    # Someone with an account (already working for another provider) accepts.
    client.force_login(existing)
    link = link_in(emails["has.account@example.org"])
    client.post(link)
    assert ProviderStaff.objects.get(organisation=organisation, user=existing).is_admin
    assert ProviderStaff.objects.filter(organisation=elsewhere, user=existing).exists()

    # Someone without an account creates one from the link and accepts.
    client.logout()
    link = link_in(emails["new.person@example.org"])
    response = client.post(
        f"/accounts/signup/?next={link}",
        {
            "email": "new.person@example.org",
            "password1": "a-long-new-password-9",
            "password2": "a-long-new-password-9",
            "full_name": "New Person",
        },
    )
    assert response.status_code == 302
    newcomer = User.objects.get(email="new.person@example.org")
    client.force_login(newcomer)
    client.post(link)
    row = ProviderStaff.objects.get(organisation=organisation, user=newcomer)
    assert row.role == StaffRole.CONTRIBUTOR
    assert not User.objects.get(pk=newcomer.pk).has_role(Role.PROVIDER_ADMIN)
    assert client.get(org_url("organisation-detail", organisation)).status_code == 200
    assert (
        client.get(org_url("organisation-detail", elsewhere)).status_code == 404
    )  # only their own


def test_an_admin_invites_only_to_their_own_organisation(organisation, admin):
    other = make_organisation(two_factor_user(), name="Another Provider")
    with pytest.raises(PeopleError):
        invitations.invitation_send(
            actor=admin, email="x@example.org", name="X", kind=PROVIDER_STAFF,
            scope=PROVIDER_STAFF.scope_for(other, "admin"), reason="Join us",
        )  # fmt: skip
    # Nor any other role, nor the site's people pages.
    member_kind = next(k for k in invitations.all_roles() if k.key == Role.MEMBER)
    with pytest.raises(PeopleError):
        invitations.invitation_send(
            actor=admin, email="x@example.org", name="X", kind=member_kind, reason="Join us"
        )
    assert invitations.givable_kinds(admin) == []
    assert not Invitation.objects.exists()
    # A staff administrator may invite to any organisation.
    invitations.invitation_send(
        actor=staff_user(), email="x@example.org", name="X", kind=PROVIDER_STAFF,
        scope=PROVIDER_STAFF.scope_for(other, "contributor"), reason="Helping them",
    )  # fmt: skip
    assert Invitation.objects.count() == 1


def test_an_invitation_from_someone_no_longer_an_admin_cannot_be_accepted(
    client, organisation, admin
):
    second = two_factor_user()
    ProviderStaff.objects.create(organisation=organisation, user=second, role=StaffRole.ADMIN)
    invitations.invitation_send(
        actor=second, email="late@example.org", name="Late", kind=PROVIDER_STAFF,
        scope=PROVIDER_STAFF.scope_for(organisation, "contributor"), reason="Join us",
    )  # fmt: skip
    people.person_role_revoke(
        actor=admin, user=second, kind=PROVIDER_STAFF,
        scope=PROVIDER_STAFF.scope_for(organisation, "admin"), reason="Left",
    )  # fmt: skip
    late = UserFactory(email="late@example.org")
    client.force_login(late)
    link = link_in(OutboxEmail.objects.get(kind="people_invitation"))
    page = client.post(link, follow=True).content.decode()
    assert "Ask the person who invited you" in page
    assert not ProviderStaff.objects.filter(user=late).exists()


def test_an_admin_removes_staff_but_never_the_last_admin(client, organisation, admin):
    contributor = UserFactory(full_name="Cara Contributor")
    ProviderStaff.objects.create(
        organisation=organisation, user=contributor, role=StaffRole.CONTRIBUTOR
    )
    client.force_login(admin)
    remove = org_url("staff-remove", organisation, contributor.pk)
    page = client.post(remove, {"reason": ""}).content.decode()
    assert "Enter why they are leaving" in page
    assert ProviderStaff.objects.filter(user=contributor).exists()
    response = client.post(remove, {"reason": "Moved to another team"})
    assert response.status_code == 302
    assert not ProviderStaff.objects.filter(user=contributor).exists()
    email = OutboxEmail.objects.get(kind="people_role_revoked", recipient=contributor.email)
    assert "Moved to another team" in email.body_text
    assert AuditEntry.objects.filter(action="role.revoke", target_id=str(contributor.pk)).exists()
    client.force_login(contributor)
    assert client.get(org_url("organisation-detail", organisation)).status_code == 404

    # The last admin cannot remove themselves, nor can a staff administrator remove them.
    client.force_login(admin)
    remove = org_url("staff-remove", organisation, admin.pk)
    page = client.post(remove, {"reason": "Leaving"}).content.decode()
    assert "is the last admin of Living Well Together" in page
    with pytest.raises(PeopleError):
        people.person_role_revoke(
            actor=staff_user(), user=admin, kind=PROVIDER_STAFF,
            scope=PROVIDER_STAFF.scope_for(organisation, "admin"), reason="Tidy up",
        )  # fmt: skip
    assert ProviderStaff.objects.filter(user=admin, organisation=organisation).exists()
    assert User.objects.get(pk=admin.pk).has_role(Role.PROVIDER_ADMIN)


def test_an_admin_of_another_organisation_cannot_remove_staff_here(client, organisation, admin):
    outsider = two_factor_user()
    make_organisation(outsider, name="Another Provider")
    client.force_login(outsider)
    remove = org_url("staff-remove", organisation, admin.pk)
    assert client.post(remove, {"reason": "Hostile"}).status_code == 404
    with pytest.raises(PeopleError):
        people.person_role_revoke(
            actor=outsider, user=admin, kind=PROVIDER_STAFF,
            scope=PROVIDER_STAFF.scope_for(organisation, "admin"), reason="Hostile",
        )  # fmt: skip
    assert ProviderStaff.objects.filter(user=admin).exists()


def test_losing_the_last_admin_seat_takes_away_the_site_wide_flag(organisation, admin):
    second = two_factor_user()
    people.person_role_grant(
        actor=admin, user=second, kind=PROVIDER_STAFF,
        scope=PROVIDER_STAFF.scope_for(organisation, "admin"), reason="Co-lead",
    )  # fmt: skip
    assert User.objects.get(pk=second.pk).has_role(Role.PROVIDER_ADMIN)
    with pytest.raises(PeopleError, match="already works for"):
        people.person_role_grant(
            actor=admin, user=second, kind=PROVIDER_STAFF,
            scope=PROVIDER_STAFF.scope_for(organisation, "contributor"), reason="Again",
        )  # fmt: skip
    people.person_role_revoke(
        actor=second, user=admin, kind=PROVIDER_STAFF,
        scope=PROVIDER_STAFF.scope_for(organisation, "admin"), reason="Handed over",
    )  # fmt: skip
    assert not User.objects.get(pk=admin.pk).has_role(Role.PROVIDER_ADMIN)
    assert User.objects.get(pk=second.pk).has_role(Role.PROVIDER_ADMIN)


def test_staff_admins_give_the_role_on_the_people_pages(client, organisation):
    from tests.factories.accounts import PASSWORD

    staff = staff_user()
    person = two_factor_user()
    client.force_login(staff)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    grant = reverse("people-staff:role-grant", args=[person.pk])
    scope = PROVIDER_STAFF.scope_for(organisation, "contributor")
    assert scope in client.get(grant + "?role=provider_staff").content.decode()
    response = client.post(grant, {"role": "provider_staff", "scope": scope, "reason": "Helps"})
    assert response.status_code == 302
    assert ProviderStaff.objects.filter(user=person, role=StaffRole.CONTRIBUTOR).exists()


def test_the_default_rule_for_giving_roles_is_unchanged():
    kind = next(k for k in invitations.all_roles() if k.key == Role.STAFF_ADMIN)
    member_kind = next(k for k in invitations.all_roles() if k.key == Role.MEMBER)
    assert member_kind.may_give(staff_user(), "")
    assert not member_kind.may_give(UserFactory(), "")
    assert not member_kind.may_give(None, "")
    assert kind.may_give(staff_user(), "")
    assert not PROVIDER_STAFF.may_give(UserFactory(), "organisation:1:admin")


def test_coordinators_list_filter_and_verify_organisations(client, organisation, admin):
    verified = make_organisation(two_factor_user(), name="Already Verified")
    coordinator = two_factor_user(roles=[Role.ACCREDITATION_COORDINATOR])
    services.organisation_verify(actor=coordinator, organisation=verified)
    client.force_login(coordinator)
    page = client.get(STAFF_LIST + "?status=unverified").content.decode()
    assert "Living Well Together" in page
    assert "Already Verified" not in page
    page = client.get(STAFF_LIST + "?status=verified").content.decode()
    assert "Living Well Together" not in page
    home = client.get("/").content.decode()
    assert "1 provider organisation is waiting for verification." in home

    verify = reverse("accreditation-staff:organisation-verify", args=[organisation.slug])
    assert "Verify Living Well Together?" in client.get(verify).content.decode()
    assert client.post(verify).status_code == 302
    organisation.refresh_from_db()
    assert organisation.verified_by == coordinator
    assert AuditEntry.objects.filter(action="provider.verify", target_id=str(organisation.pk))
    email = OutboxEmail.objects.get(kind="accreditation_provider_verified", recipient=admin.email)
    assert "Living Well Together" in email.subject
    # A second submit changes nothing and says so.
    response = client.post(verify, follow=True)
    assert "has already been verified" in response.content.decode()
    assert AuditEntry.objects.filter(action="provider.verify").count() == 2  # one per organisation

    for person in [admin, UserFactory(roles=[Role.MEMBER])]:
        client.force_login(person)
        assert client.get(STAFF_LIST).status_code == 404
        assert client.post(verify).status_code == 404


def test_provider_staff_see_their_organisations_on_the_home_page(client, organisation, admin):
    client.force_login(admin)
    home = client.get("/").content.decode()
    assert "Your organisation Living Well Together (waiting for verification)" in home
    landing = client.get(reverse("accreditation:landing")).content.decode()
    assert "Register your organisation" in landing
    assert "Living Well Together" in landing


def test_the_landing_page_invites_visitors_to_sign_in(client):
    page = client.get(reverse("accreditation:landing")).content.decode()
    assert "Sign in" in page
    assert "Register your organisation" not in page.split("<main", 1)[1].split("Sign in")[0]


def test_the_coordinators_list_runs_the_same_queries_for_one_and_many(client, organisation):
    client.force_login(two_factor_user(roles=[Role.ACCREDITATION_COORDINATOR]))

    def more(n):
        for number in range(n):
            extra = make_organisation(UserFactory(), name=f"Provider {number}")
            services.programme_add(
                actor=extra.staff.get().user, organisation=extra, **programme_fields()
            )

    assert_constant_queries(lambda: client.get(STAFF_LIST), more)


def test_the_staff_list_and_details_run_the_same_queries_for_one_and_many(
    client, organisation, admin
):
    client.force_login(admin)

    def more(n):
        for number in range(n):
            ProviderStaff.objects.create(
                organisation=organisation, user=UserFactory(), role=StaffRole.CONTRIBUTOR
            )
            services.programme_add(
                actor=admin, organisation=organisation, **programme_fields(name=f"P{number}")
            )
            invitations.invitation_send(
                actor=admin, email=f"p{number}@example.org", name="P", kind=PROVIDER_STAFF,
                scope=PROVIDER_STAFF.scope_for(organisation, "contributor"), reason="Join",
            )  # fmt: skip

    def both():
        client.get(org_url("staff-list", organisation))
        client.get(org_url("organisation-detail", organisation))

    assert_constant_queries(both, more)


def test_an_admin_withdraws_a_waiting_invitation_to_their_organisation_only(
    client, organisation, admin
):
    client.force_login(admin)
    client.post(
        org_url("staff-invite", organisation),
        {"name": "Wrong Person", "email": "wrong@example.org", "role": "contributor"},
    )
    invitation = Invitation.objects.get()
    link = link_in(OutboxEmail.objects.get(kind="people_invitation"))
    other_admin = two_factor_user()
    other = make_organisation(other_admin, name="Another Provider")
    client.force_login(other_admin)
    # Not through another organisation's address, nor on this one's.
    assert client.post(org_url("invitation-withdraw", other, invitation.pk)).status_code == 404
    assert (
        client.post(org_url("invitation-withdraw", organisation, invitation.pk)).status_code == 404
    )
    client.force_login(admin)
    withdraw = org_url("invitation-withdraw", organisation, invitation.pk)
    assert client.get(withdraw).status_code == 405
    response = client.post(withdraw, follow=True)
    assert "The invitation to wrong@example.org has been withdrawn" in response.content.decode()
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert AuditEntry.objects.filter(action="invitation.revoke").count() == 1
    # A second submit changes nothing and says why.
    response = client.post(withdraw, follow=True)
    assert "This invitation was withdrawn" in response.content.decode()
    # The link no longer works.
    client.force_login(UserFactory(email="wrong@example.org"))
    assert "withdrawn" in client.get(link).content.decode()
    assert not ProviderStaff.objects.filter(user__email="wrong@example.org").exists()


def test_the_database_refuses_a_second_organisation_of_the_same_name(admin):
    from django.db import IntegrityError, transaction

    make_organisation(admin, name="Living Well")
    with pytest.raises(IntegrityError), transaction.atomic():
        Organisation.objects.create(name="LIVING WELL", slug="other", kind="charity")


def test_coordinators_find_the_list_from_the_landing_page(client):
    client.force_login(two_factor_user(roles=[Role.ACCREDITATION_COORDINATOR]))
    page = client.get(reverse("accreditation:landing")).content.decode()
    assert f'href="{STAFF_LIST}"' in page
    client.force_login(UserFactory())
    page = client.get(reverse("accreditation:landing")).content.decode()
    assert f'href="{STAFF_LIST}"' not in page


def test_staff_invite_provider_staff_from_a_list_by_the_organisations_words(organisation):
    staff = staff_user()
    plan = invitations.invitations_read(
        actor=staff,
        data=(
            b"name,email,role,scope\n"
            b"Colin,colin@example.org,Provider staff,living well together (contributor)\n"
            b"Dana,dana@example.org,provider_staff,No Such Provider (admin)\n"
        ),
    )
    assert plan.rows[0].scope_key == PROVIDER_STAFF.scope_for(organisation, "contributor")
    assert plan.rows[1].errors == [
        "'No Such Provider (admin)' is not one of the choices of organisation for Provider staff"
    ]
    # A provider admin cannot send lists: the role is theirs to give only for their organisation.
    plan = invitations.invitations_read(
        actor=organisation.staff.get().user,
        data=b"name,email,role,scope\nColin,colin@example.org,Provider staff,x\n",
    )
    assert plan.rows[0].errors == ["'Provider staff' is not a role you can give"]
