"""Every URL pattern of the project has an entry here saying what each kind of user gets.

A route without an entry fails `test_every_route_has_an_entry`, naming the route. Each entry is
then requested as each kind of user and the answer compared with the entry.

Answers: OK (200), LOGIN (redirect to sign in), NOT_FOUND (404, so existence does not leak),
HOME (redirect to the home page: signed-in users visiting sign-in pages), TWO_FACTOR_SETUP,
REAUTH (asked to confirm their password first), and explicit other codes.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from allauth.mfa.totp.internal.auth import TOTP
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from members.panels import urls as panel_urls
from qcommunity.accounts.enums import Role
from tests.factories.accounts import UserFactory

OK = "ok"
LOGIN = "login"
NOT_FOUND = "not_found"
HOME = "home"
REAUTH = "reauth"
ADMIN_LOGIN = "admin_login"
REDIRECT = "redirect"
METHOD_NOT_ALLOWED = "405"
SERVICE_UNAVAILABLE_OR_OK = "health"

KINDS = ("anonymous", "user", "member", "staff")


@dataclass(frozen=True)
class Entry:
    expect: dict[str, str]
    kwargs: dict = field(default_factory=dict)
    # Creates what the route's kwargs point at, before the request (e.g. a profile at a slug).
    setup: Callable[[], object] | None = None
    # The route this entry requests, when its key is a second case of a route ("name (case)").
    route: str | None = None


def same(answer: str) -> dict[str, str]:
    return dict.fromkeys(KINDS, answer)


def signed_in(answer: str, anonymous: str = LOGIN) -> dict[str, str]:
    return {"anonymous": anonymous, "user": answer, "member": answer, "staff": answer}


def staff_only() -> dict[str, str]:
    return {"anonymous": LOGIN, "user": NOT_FOUND, "member": NOT_FOUND, "staff": OK}


def members_only() -> dict[str, str]:
    return {"anonymous": LOGIN, "user": NOT_FOUND, "member": OK, "staff": NOT_FOUND}


def _matrix_public_profile():
    """A public directory entry with a photo at the slug "matrix-entry" (profile routes)."""
    from django.core.files.base import ContentFile

    from members.directory.enums import Visibility
    from tests.factories.members import ProfileFactory

    profile = ProfileFactory(slug="matrix-entry", visibility=Visibility.PUBLIC)
    profile.photo.save("matrix.png", ContentFile(b"not checked here"), save=True)
    return profile


def _matrix_coffee_pairing(pk: int):
    """A pairing this month between two members who are not the matrix's users."""
    from django.utils import timezone

    from members.coffee.models import CoffeePairing
    from tests.factories.members import ProfileFactory

    a, b = sorted([ProfileFactory().user, ProfileFactory().user], key=lambda u: u.pk)
    month = timezone.localdate().replace(day=1)
    return CoffeePairing.objects.create(pk=pk, month=month, member_a=a, member_b=b)


def _matrix_newsletters():
    """Newsletter objects at fixed ids (compose routes): a draft issue 910001 with a text
    section 910001, a sent issue "matrix-sent" of the public newsletter "matrix-news", a block
    910001 and an approved showcase item 910001 with an image, owned by someone else."""
    from django.core.files.base import ContentFile

    from qcommunity.newsletters.issues.enums import IssueStatus
    from qcommunity.newsletters.issues.models import Issue, IssueSection, ReusableBlock
    from qcommunity.newsletters.showcase.enums import ShowcaseStatus
    from qcommunity.newsletters.showcase.models import ShowcaseItem
    from qcommunity.newsletters.subscriptions.models import Newsletter

    newsletter = Newsletter.objects.create(
        name="Matrix news", slug="matrix-news", list_id="matrix.newsletters.q.example"
    )
    issue = Issue.objects.create(pk=910001, newsletter=newsletter, title="Draft", slug="draft")
    IssueSection.objects.create(pk=910001, issue=issue, position=1, heading="One", body="Text")
    Issue.objects.create(
        newsletter=newsletter, title="Sent", slug="matrix-sent", status=IssueStatus.SENT
    )
    ReusableBlock.objects.create(pk=910001, name="Footer", body="Thanks")
    item = ShowcaseItem.objects.create(
        pk=910001,
        submitted_by=UserFactory(roles=[Role.MEMBER]),
        title="Work",
        summary="Summary",
        link="https://example.org",
        status=ShowcaseStatus.APPROVED,
        image_alt="A chart",
    )
    item.image.save("matrix.png", ContentFile(b"not checked here"), save=True)


def _matrix_round():
    """A draft round of selection at id 920001 (staff round pages)."""
    import datetime as dt

    from django.utils import timezone

    from members.joining.models import Round
    from qcommunity.core.taxonomy import Region
    from qcommunity.scoring.services import scheme_create
    from tests.factories.joining import CRITERIA, SCALE

    now = timezone.now()
    scheme = scheme_create(actor=None, name="Matrix criteria", criteria=CRITERIA, scale=SCALE)
    return Round.objects.create(
        pk=920001, name="Matrix round", phase="regional", regions=[Region.WESSEX],
        opens_at=now, closes_at=now + dt.timedelta(days=7),
        review_deadline=now + dt.timedelta(days=14),
        decisions_release_at=now + dt.timedelta(days=21), scheme=scheme,
    )  # fmt: skip


def _round_entry(expect=None, **kwargs) -> Entry:
    return Entry(expect or staff_only(), {"pk": 920001, **kwargs}, _matrix_round)


def _issue_entry(expect=None, **kwargs) -> Entry:
    return Entry(expect or staff_only(), {"pk": 910001, **kwargs}, _matrix_newsletters)


STAFF_POST_ONLY = {**staff_only(), "staff": METHOD_NOT_ALLOWED}
# Pages that change someone's account: staff are asked to confirm who they are first.
STAFF_REAUTH = {**staff_only(), "staff": REAUTH}


def _matrix_person():
    return UserFactory(pk=930_001, email="matrix.person@example.org")


def _matrix_invitation():
    import datetime as dt

    from django.utils import timezone

    from qcommunity.people.invitations import _hash
    from qcommunity.people.models import Invitation

    return Invitation.objects.create(
        pk=930_002, email="invited@example.org", name="Invited Person", role="member",
        role_label="Member", token_hash=_hash("matrix-token"),
        expires_at=timezone.now() + dt.timedelta(days=3),
    )  # fmt: skip


def _person_entry(expect=None) -> Entry:
    return Entry(expect or staff_only(), {"pk": 930_001}, _matrix_person)


def _matrix_contact():
    from tests.factories.newsletters import ContactFactory

    return ContactFactory(pk=990_001)


def _matrix_data_import():
    """A previewed import of past Exchange rounds (the import kit's pages)."""
    from qcommunity.imports.models import DataImport

    return DataImport.objects.create(
        pk=990_101,
        kind="exchange-rounds",
        filename="matrix.json",
        file_format="json",
        sha256="0" * 64,
        content=b'{"rounds": []}',
        preview={"errors": [], "types": [], "create": [], "unchanged": []},
    )


def _matrix_import(applied: bool):
    def setup():
        from qcommunity.newsletters.imports.enums import ImportStatus
        from qcommunity.newsletters.imports.models import ImportBatch

        return ImportBatch.objects.create(
            pk=990_002 if applied else 990_001,
            filename="matrix.csv",
            lawful_basis="legitimate_interests",
            note="Matrix",
            status=ImportStatus.APPLIED if applied else ImportStatus.PREVIEW,
            preview={
                "new_contacts": [],
                "updated_contacts": [],
                "subscriptions": [],
                "already_subscribed": [],
                "rejected": [],
            },
            result={
                "contacts_created": 0,
                "contacts_updated": 0,
                "subscriptions": 0,
                "rejected": [],
            },
        )

    return setup


def _anymail_routes() -> dict[str, "Entry"]:
    """The mail provider's webhooks only take POST (with basic auth): a GET is refused."""
    from qcommunity.newsletters.sending.urls import anymail_urlpatterns

    return {f"anymail:{p.name}": Entry(same(METHOD_NOT_ALLOWED)) for p in anymail_urlpatterns}


MATRIX_ISSUE_PK = 424242


def _matrix_issue():
    """An approved newsletter issue at a known id (newsletter sending routes)."""
    from qcommunity.newsletters.issues.enums import IssueStatus
    from tests.factories.newsletters import IssueFactory

    return IssueFactory(pk=MATRIX_ISSUE_PK, status=IssueStatus.APPROVED)


MATRIX_OUTBOX_PK = 424243


def _matrix_failed_email():
    """A failed outbox email at a known id (sending it again, issue 15 point 4)."""
    from qcommunity.outbox.enums import EmailStatus
    from qcommunity.outbox.models import OutboxEmail

    return OutboxEmail.objects.create(
        pk=MATRIX_OUTBOX_PK,
        kind="member_contact",
        recipient="gone@example.com",
        from_email="q@example.com",
        subject="A message",
        body_text="Hello",
        status=EmailStatus.FAILED,
        attempts=1,
        last_error="550 5.1.1 User unknown",
    )


MATRIX_PANEL_PK = 930_001


def _matrix_panels():
    """Joining Q panels (issue 5): a closed round 930001 open to Wessex and Oxford whose
    Wessex application 930001 is in review with the Wessex panel 930001 (assignment 930001 is
    its first reviewer's), and an Oxford panel 930002 with a reviewer and a chair of its own.
    None of the matrix's users is on a panel or applied. Rows get known ids by starting each
    table's id sequence at 930001 (the test's transaction rolls the rows back)."""
    from django.db import connection

    from members.joining.models import Application, Round
    from members.panels.services import round_panel_create, round_panel_member_add
    from qcommunity.core.taxonomy import Region
    from qcommunity.scoring.enums import PanelRole
    from qcommunity.scoring.models import Assignment, Panel
    from tests.factories.joining import make_round
    from tests.factories.panels import panel_in_review, staff_user, two_factor_user

    with connection.cursor() as cursor:
        for model in (Round, Application, Panel, Assignment):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                [model._meta.db_table, MATRIX_PANEL_PK],
            )
    staff = staff_user()
    round_ = make_round(staff, regions=(Region.WESSEX, Region.OXFORD))
    setup = panel_in_review(staff, round_=round_)
    oxford = round_panel_create(actor=staff, round_=round_, region=Region.OXFORD)
    other_reviewer = two_factor_user(full_name="Oxford Reviewer")
    other_chair = two_factor_user(full_name="Oxford Chair")
    round_panel_member_add(actor=staff, panel=oxford, user=other_reviewer)
    round_panel_member_add(actor=staff, panel=oxford, user=other_chair, role=PanelRole.CHAIR)
    setup.other_reviewer, setup.other_chair = other_reviewer, other_chair
    return setup


def _panel_entry(expect, **kwargs) -> "Entry":
    return Entry(expect, kwargs, _matrix_panels)


# Panel routes answer these for each kind of user (the panel 930001 and its application and
# assignment 930001): staff admins reach panels and the chair's pages, never a reviewer's work.
PANEL_STAFF_OK = {"anonymous": LOGIN, "user": NOT_FOUND, "member": NOT_FOUND, "staff": OK}
REVIEWER_ONLY = {**signed_in(NOT_FOUND)}


MATRIX_APPLICATION_PK = 930_001


def _matrix_application():
    """A draft application at a known id, belonging to someone who is none of the matrix's
    users (joining routes): everyone but its applicant gets 404, staff included."""
    from members.joining.models import Application
    from members.joining.services import application_create
    from tests.factories.joining import make_round

    admin = UserFactory(roles=[Role.STAFF_ADMIN])
    application = application_create(actor=UserFactory(), round_=make_round(admin))
    Application.objects.filter(pk=application.pk).update(id=MATRIX_APPLICATION_PK)


def _application_entry() -> "Entry":
    return Entry(signed_in(NOT_FOUND), {"pk": MATRIX_APPLICATION_PK}, _matrix_application)


def _matrix_proposal():
    """A proposal of a published round at the slug "matrix-proposal" (Exchange routes)."""
    from exchange.proposals.models import Proposal
    from tests.factories.exchange import make_exchange_round, make_proposal

    proposal = make_proposal(make_exchange_round(), lead=UserFactory(roles=[Role.MEMBER]))
    Proposal.objects.filter(pk=proposal.pk).update(slug="matrix-proposal")
    return proposal


def _matrix_proposal_file():
    """The matrix proposal with an attachment at the token "matrixtoken"."""
    from django.core.files.base import ContentFile

    from exchange.proposals.models import Attachment

    proposal = _matrix_proposal()
    attachment = Attachment(
        proposal=proposal, token="matrixtoken", extension=".pdf", original_name="plan.pdf",
        kind="pdf", content_type="application/pdf", size=10,
    )  # fmt: skip
    attachment.file.save("plan.pdf", ContentFile(b"%PDF-1.4 %%EOF"), save=True)


def _matrix_idea_round():
    """A published Exchange round for 2190 taking ideas now (posting an idea)."""
    from tests.factories.exchange import make_exchange_round

    make_exchange_round(year=2190, voting_open=False)


def _editor_entry() -> "Entry":
    """The matrix proposal's team pages: its lead is none of the matrix's users."""
    return Entry(signed_in(NOT_FOUND), {"slug": "matrix-proposal"}, _matrix_proposal)


MATRIX_COMMENT_PK = 960001


def _matrix_comment():
    """A comment at id 960001 by someone else on the matrix proposal, whose round's comments
    have closed (the comment pages say so and show no form)."""
    from exchange.comments.models import Comment
    from exchange.proposals.models import Proposal

    _matrix_proposal()
    proposal = Proposal.objects.get(slug="matrix-proposal")
    Comment.objects.create(
        pk=MATRIX_COMMENT_PK,
        proposal=proposal,
        author=UserFactory(),
        body="A comment",
        body_html="<p>A comment</p>",
        created_at=proposal.round.opens_at,
    )


def _comment_entry(expect: dict[str, str]) -> "Entry":
    return Entry(expect, {"slug": "matrix-proposal", "pk": MATRIX_COMMENT_PK}, _matrix_comment)


def _moderation_entry(expect: dict[str, str]) -> "Entry":
    return Entry(expect, {"pk": MATRIX_COMMENT_PK}, _matrix_comment)


MODERATOR_POST_ONLY = {
    "anonymous": LOGIN,
    "user": NOT_FOUND,
    "member": NOT_FOUND,
    "staff": METHOD_NOT_ALLOWED,
}
MATRIX_EXCHANGE_YEAR = 2199
MEMBERS_VOTE = {"anonymous": LOGIN, "user": "403", "member": OK, "staff": "403"}


def _matrix_voting_round():
    """A published round of the year 2199 with voting open and a proposal standing in each
    theme (Exchange voting routes)."""
    from tests.factories.exchange import make_exchange_round, make_proposal

    round_ = make_exchange_round(year=MATRIX_EXCHANGE_YEAR)
    lead = UserFactory(roles=[Role.MEMBER])
    for theme in round_.themes.all():
        make_proposal(round_, lead=lead, theme=theme)


def _voting_entry(expect: dict[str, str]) -> "Entry":
    return Entry(expect, {"year": MATRIX_EXCHANGE_YEAR}, _matrix_voting_round)


MATRIX_BROWSE_YEAR = 2901
MATRIX_EXCHANGE_DRAFT_YEAR = 2902
MATRIX_EXCHANGE_ROUND_PK = 940_001


def _matrix_exchange_round():
    """A published round of 2901 with a proposal (browse routes)."""
    from tests.factories.exchange import make_exchange_round, make_proposal

    make_proposal(
        make_exchange_round(year=MATRIX_BROWSE_YEAR), lead=UserFactory(roles=[Role.MEMBER])
    )


def _matrix_exchange_draft():
    """An unpublished round of 2902 at a known id: only staff see it, anywhere."""
    from exchange.rounds.models import Round, Section, Theme
    from tests.factories.exchange import make_exchange_round

    draft = make_exchange_round(year=MATRIX_EXCHANGE_DRAFT_YEAR)
    Round.objects.filter(pk=draft.pk).update(id=MATRIX_EXCHANGE_ROUND_PK, published_at=None)
    for model in (Theme, Section):  # foreign keys are checked at commit
        model.objects.filter(round_id=draft.pk).update(round_id=MATRIX_EXCHANGE_ROUND_PK)


def _exchange_draft_entry(expect, route=None, **kwargs) -> "Entry":
    return Entry(expect, kwargs, _matrix_exchange_draft, route)


MATRIX_SHORTLIST_PK = 950_001


def _matrix_shortlisting():
    """Q Exchange shortlisting (issue 6 point 6): round, panel and assignment 950001 (a
    proposal given to a reviewer who is none of the matrix's users). Staff manage the panel and
    see its overview, never a reviewer's own work; nobody else reaches any of it."""
    from django.db import connection

    from exchange.rounds.models import Round
    from exchange.shortlist.services import proposal_assignments_distribute
    from qcommunity.scoring.models import Assignment, Panel
    from tests.exchange.shortlist.helpers import shortlisting

    with connection.cursor() as cursor:
        for model in (Round, Panel, Assignment):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                [model._meta.db_table, MATRIX_SHORTLIST_PK],
            )
    setup = shortlisting(proposals=1, reviewers=1, reviews_needed=1)
    proposal_assignments_distribute(actor=setup.staff, panel=setup.panel)
    return setup


def _shortlist_entry(expect, **kwargs) -> "Entry":
    return Entry(expect, kwargs, _matrix_shortlisting)


MATRIX_STANDARD_PK = 960_001


def _matrix_standard():
    """The standard "matrix-standard" with a draft version 1 whose domain, criterion and level
    are 960001 (issue 16: coordinators and staff admins keep standards; nobody else sees them)."""
    from django.db import connection

    from accreditation.standards.models import Criterion, Domain, Level
    from tests.accreditation.conftest import build_draft

    with connection.cursor() as cursor:
        for model in (Domain, Criterion, Level):
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s, false)",
                [model._meta.db_table, MATRIX_STANDARD_PK],
            )
    build_draft(UserFactory(roles=[Role.ACCREDITATION_COORDINATOR]), slug="matrix-standard")


def _standard_entry(expect, **kwargs) -> "Entry":
    return Entry(expect, {"slug": "matrix-standard", **kwargs}, _matrix_standard)


def _version_entry(expect, **kwargs) -> "Entry":
    return _standard_entry(expect, number=1, **kwargs)


MATRIX_PROVIDER_PK = 970_001


def _matrix_provider():
    """An organisation "matrix-provider" run by someone who is none of the matrix's users
    (admin 970001), with a programme 970001."""
    from accreditation.providers.models import Programme
    from qcommunity.accounts.roles import get_role
    from qcommunity.people.invitations import invitation_send
    from tests.factories.providers import make_organisation, programme_fields

    admin = UserFactory(pk=MATRIX_PROVIDER_PK)
    organisation = make_organisation(admin, name="Matrix provider")
    Programme.objects.create(pk=MATRIX_PROVIDER_PK, organisation=organisation, **programme_fields())
    kind = get_role("provider_staff")
    invitation = invitation_send(
        actor=admin, email="matrix.invitee@example.org", name="Invitee", kind=kind,
        scope=kind.scope_for(organisation, "contributor"), reason="Join us",
    )  # fmt: skip
    type(invitation).objects.filter(pk=invitation.pk).update(id=MATRIX_PROVIDER_PK)
    return organisation


def _provider_entry(expect, **kwargs) -> Entry:
    return Entry(expect, {"slug": "matrix-provider", **kwargs}, _matrix_provider)


# Provider pages: its own staff only (none of the matrix's users), and staff administrators,
# who see every organisation and manage its staff but do not change its details or programmes.
PROVIDER_STAFF_ONLY = {**staff_only(), "staff": NOT_FOUND}


MATRIX: dict[str, Entry] = {
    # Public pages
    "core:home": Entry(same(OK)),
    "core:accessibility": Entry(same(OK)),
    "core:privacy": Entry(same(OK)),
    "core:cookies": Entry(same(OK)),
    "core:contact": Entry(same(OK)),
    "core:health": Entry(same(OK)),
    # Member directory (issue 3): open to all; the selector decides which entries each sees
    "members:search": Entry(same(OK)),
    # Staff area
    "core-staff:index": Entry(staff_only()),
    "audit:entry-list": Entry(staff_only()),
    "people-staff:person-list": Entry(staff_only()),
    "people-staff:person-export": Entry(staff_only()),
    "people-staff:person-detail": _person_entry(),
    "people-staff:role-grant": _person_entry(STAFF_REAUTH),
    "people-staff:role-revoke": _person_entry(STAFF_REAUTH),
    "people-staff:account-suspend": _person_entry(STAFF_REAUTH),
    "people-staff:account-reinstate": _person_entry(STAFF_REAUTH),
    "people-staff:invitation-list": Entry(staff_only()),
    "people-staff:invitation-send": Entry(STAFF_REAUTH),
    "people-staff:invitation-resend": Entry(STAFF_POST_ONLY, {"pk": 930_002}, _matrix_invitation),
    "people-staff:invitation-revoke": Entry(STAFF_POST_ONLY, {"pk": 930_002}, _matrix_invitation),
    "people:invitation": Entry(same(OK), {"token": "matrix-token"}, _matrix_invitation),
    "outbox:email-list": Entry(staff_only()),
    # Sending a failed email again (issue 15 point 4): GET confirms, POST queues it again.
    "outbox:email-retry": Entry(staff_only(), {"pk": MATRIX_OUTBOX_PK}, _matrix_failed_email),
    "reminders:reminder-list": Entry(staff_only()),
    # The import kit (issue 15 point 3): staff admins; applying and discarding are POST only.
    "imports:import-list": Entry(staff_only()),
    "imports:import-upload": Entry(staff_only(), {"kind": "exchange-rounds"}),
    "imports:import-detail": Entry(staff_only(), {"pk": 990_101}, _matrix_data_import),
    "imports:import-apply": Entry(STAFF_POST_ONLY, {"pk": 990_101}, _matrix_data_import),
    "imports:import-discard": Entry(STAFF_POST_ONLY, {"pk": 990_101}, _matrix_data_import),
    # Newsletter sending (issue 4 point 3): editors and staff admins; sending is POST only.
    "newsletters-staff:progress": Entry(staff_only(), {"pk": MATRIX_ISSUE_PK}, _matrix_issue),
    "newsletters-staff:send": Entry(
        {**staff_only(), "staff": METHOD_NOT_ALLOWED}, {"pk": MATRIX_ISSUE_PK}, _matrix_issue
    ),
    # Members: staff directory insights and export, random coffee (issue 3 points 5 and 6)
    "members-staff:insights": Entry(staff_only()),
    "members-staff:export": Entry(staff_only()),
    # Random coffee for staff (issue 13 point 8): GET is the page and the confirmation step
    "members-staff:coffee": Entry(staff_only()),
    "members-staff:coffee-run": Entry(staff_only()),
    "members-staff:round-list": Entry(staff_only()),
    "members-staff:round-create": Entry(staff_only()),
    "members-staff:round-detail": _round_entry(),
    "members-staff:round-edit": _round_entry(),
    "members-staff:round-transition": _round_entry(STAFF_POST_ONLY, action="open"),
    "members-staff:round-confirm": _round_entry(action="open"),
    # The round's report, decisions CSV and audit trail (issue 5 item 6)
    "members-staff:round-report": _round_entry(),
    "members-staff:round-applications-csv": _round_entry(),
    "members-staff:round-audit": _round_entry(),
    "members:coffee-settings": Entry(
        {"anonymous": LOGIN, "user": NOT_FOUND, "member": OK, "staff": NOT_FOUND}
    ),
    # A pairing of two other members: nobody outside it may see that it exists.
    "members:coffee-message": Entry(
        {"anonymous": LOGIN, "user": NOT_FOUND, "member": NOT_FOUND, "staff": NOT_FOUND},
        kwargs={"pk": 1},
        setup=lambda: _matrix_coffee_pairing(1),
    ),
    # Accounts
    "accounts:two-factor-required": Entry(signed_in(OK)),
    # The signed link that undoes an email change: anyone holding it; a bad one says so (400).
    "accounts:email-change-undo": Entry(same("400"), {"token": "not-a-token"}),
    "account_login": Entry(signed_in(HOME, anonymous=OK)),
    "account_signup": Entry(signed_in(HOME, anonymous=OK)),
    "account_logout": Entry(signed_in(OK, anonymous=HOME)),
    "account_inactive": Entry(same(OK)),
    "account_reauthenticate": Entry(signed_in(OK)),
    "account_email": Entry(signed_in(OK)),
    "account_email_verification_sent": Entry(same(OK)),
    "account_change_password": Entry(signed_in(OK)),
    "account_set_password": Entry(signed_in(REDIRECT)),
    "account_reset_password": Entry(same(OK)),
    "account_reset_password_done": Entry(same(OK)),
    "account_reset_password_from_key": Entry(same(OK), {"uidb36": "0", "key": "not-a-key"}),
    "account_reset_password_from_key_done": Entry(same(OK)),
    "account_confirm_email": Entry(same(OK), {"key": "not-a-key"}),
    "account_confirm_login_code": Entry(signed_in(HOME, anonymous=LOGIN)),
    "mfa_index": Entry(signed_in(OK)),
    "mfa_authenticate": Entry(signed_in(HOME, anonymous=LOGIN)),
    # Without an authenticator, confirming by code falls back to confirming the password.
    "mfa_reauthenticate": Entry({**signed_in(REAUTH), "staff": OK}),
    "mfa_activate_totp": Entry(signed_in(REAUTH)),
    # Pages about an authenticator the user does not have answer 404.
    "mfa_deactivate_totp": Entry({**signed_in(NOT_FOUND), "staff": REAUTH}),
    "mfa_view_recovery_codes": Entry(signed_in(NOT_FOUND)),
    "mfa_generate_recovery_codes": Entry(signed_in(REAUTH)),
    "mfa_download_recovery_codes": Entry(signed_in(NOT_FOUND)),
    "usersessions_list": Entry(signed_in(OK)),
    # Notification preferences (issue 4): everyone with an account, members or not
    "notifications:preferences": Entry(signed_in(OK)),
    # Your data (UK GDPR): download it, delete the account; the goodbye page is for anyone.
    "privacy:data": Entry(signed_in(OK)),
    "privacy:delete": Entry(signed_in(OK)),
    "privacy:deleted": Entry(same(OK)),
    # Directory entries, contact and the member's own entry (issue 3: profile). Entries use the
    # public profile at "matrix-entry"; staff here hold no member role, so they cannot contact.
    "members:profile-detail": Entry(same(OK), {"slug": "matrix-entry"}, _matrix_public_profile),
    "members:profile-photo": Entry(same(OK), {"slug": "matrix-entry"}, _matrix_public_profile),
    "members:contact": Entry(members_only(), {"slug": "matrix-entry"}, _matrix_public_profile),
    "members:contact-sent": Entry(members_only(), {"slug": "matrix-entry"}, _matrix_public_profile),
    "members:profile-edit": Entry(members_only()),
    "members:profile-preview": Entry(members_only()),
    # Forms that only take POST: members get 405 for a GET, everyone else what the edit page gives.
    "members:profile-photo-edit": Entry({**members_only(), "member": METHOD_NOT_ALLOWED}),
    "members:profile-photo-remove": Entry({**members_only(), "member": METHOD_NOT_ALLOWED}),
    "members:profile-visibility": Entry({**members_only(), "member": METHOD_NOT_ALLOWED}),
    "members:profile-confirm": Entry({**members_only(), "member": METHOD_NOT_ALLOWED}),
    "members:profile-messages": Entry({**members_only(), "member": METHOD_NOT_ALLOWED}),
    # Newsletters: composing issues, blocks and the showcase queue (issue 4 point 2). Editors
    # and staff admins only; "staff" here is a staff admin. Forms that only take POST: 405.
    "newsletters-staff:issue-list": Entry(staff_only()),
    "newsletters-staff:issue-create": Entry(staff_only()),
    "newsletters-staff:issue-detail": _issue_entry(),
    "newsletters-staff:issue-edit": _issue_entry(),
    "newsletters-staff:issue-preview": _issue_entry(),
    "newsletters-staff:issue-preview-email": _issue_entry(),
    "newsletters-staff:issue-test-send": _issue_entry(STAFF_POST_ONLY),
    "newsletters-staff:issue-schedule": _issue_entry(STAFF_POST_ONLY),
    "newsletters-staff:issue-transition": _issue_entry(STAFF_POST_ONLY, action="approve"),
    "newsletters-staff:section-add": _issue_entry(),
    "newsletters-staff:section-add-block": _issue_entry(STAFF_POST_ONLY),
    "newsletters-staff:section-add-showcase": _issue_entry(STAFF_POST_ONLY),
    "newsletters-staff:section-edit": _issue_entry(section_pk=910001),
    "newsletters-staff:section-move": _issue_entry(STAFF_POST_ONLY, section_pk=910001),
    "newsletters-staff:section-remove": _issue_entry(STAFF_POST_ONLY, section_pk=910001),
    "newsletters-staff:block-list": Entry(staff_only()),
    "newsletters-staff:block-create": Entry(staff_only()),
    "newsletters-staff:block-edit": _issue_entry(),
    "newsletters-staff:showcase-queue": Entry(staff_only()),
    "newsletters-staff:showcase-review": _issue_entry(),
    "newsletters-staff:showcase-approve": _issue_entry(STAFF_POST_ONLY),
    "newsletters-staff:showcase-return": _issue_entry(STAFF_POST_ONLY),
    # Members' own showcase submissions; item 910001 belongs to another member, so 404.
    "newsletters:item-list": Entry(members_only()),
    "newsletters:item-submit": Entry(members_only()),
    "newsletters:item-detail": _issue_entry({**signed_in(NOT_FOUND)}),
    "newsletters:item-edit": _issue_entry({**signed_in(NOT_FOUND)}),
    # The public web archive of sent issues and approved showcase images.
    "newsletters:issue-list": Entry(same(OK)),
    "newsletters:newsletter-issues": Entry(
        same(OK), {"newsletter": "matrix-news"}, _matrix_newsletters
    ),
    "newsletters:issue-detail": Entry(
        same(OK), {"newsletter": "matrix-news", "issue": "matrix-sent"}, _matrix_newsletters
    ),
    "newsletters:showcase-image": _issue_entry(same(OK)),
    # Newsletters (issue 4 point 1): subscribing is public; links carry signed tokens, and a
    # forged token answers 404 to everyone. Managing subscribers is for editors and staff admins.
    "newsletters:subscribe": Entry(same(OK)),
    "newsletters:subscribe-sent": Entry(same(OK)),
    # A link that was changed or cut short explains itself (400), whoever follows it.
    "newsletters:confirm": Entry(same("400"), {"token": "not-a-token"}),
    "newsletters:unsubscribe": Entry(same("400"), {"token": "not-a-token"}),
    "newsletters-staff:newsletter-list": Entry(staff_only()),
    "newsletters-staff:contact-list": Entry(staff_only()),
    "newsletters-staff:contact-detail": Entry(staff_only(), {"pk": 990_001}, _matrix_contact),
    "newsletters-staff:suppression-list": Entry(staff_only()),
    "newsletters-staff:import-upload": Entry(staff_only()),
    "newsletters-staff:import-preview": Entry(
        staff_only(), {"pk": 990_001}, _matrix_import(applied=False)
    ),
    "newsletters-staff:import-result": Entry(
        staff_only(), {"pk": 990_002}, _matrix_import(applied=True)
    ),
    # Joining Q panels (issue 5 points 3 and 4). Reviewers' own work is theirs alone; the
    # chair's pages are the panel chair's and staff's. test_panel_routes_for_panel_people
    # checks the same routes as panel members of another region, the applicant and the chair.
    "members:panel-list": Entry(PANEL_STAFF_OK),
    "members:panel-detail": _panel_entry(PANEL_STAFF_OK, pk=MATRIX_PANEL_PK),
    "members:chair": _panel_entry(PANEL_STAFF_OK, pk=MATRIX_PANEL_PK),
    "members:chair-application": _panel_entry(
        PANEL_STAFF_OK, panel=MATRIX_PANEL_PK, pk=MATRIX_PANEL_PK
    ),
    "members:assignment-detail": _panel_entry(REVIEWER_ONLY, pk=MATRIX_PANEL_PK),
    "members:assignment-review": _panel_entry(REVIEWER_ONLY, pk=MATRIX_PANEL_PK),
    "members:assignment-check": _panel_entry(REVIEWER_ONLY, pk=MATRIX_PANEL_PK),
    "members-staff:panel-list": _panel_entry(staff_only(), round=MATRIX_PANEL_PK),
    "members-staff:start-review": _panel_entry(STAFF_POST_ONLY, round=MATRIX_PANEL_PK),
    "members-staff:panel-detail": _panel_entry(
        staff_only(), round=MATRIX_PANEL_PK, panel=MATRIX_PANEL_PK
    ),
    "members-staff:distribute": _panel_entry(
        STAFF_POST_ONLY, round=MATRIX_PANEL_PK, panel=MATRIX_PANEL_PK
    ),
    "members-staff:reassign": _panel_entry(
        staff_only(), round=MATRIX_PANEL_PK, panel=MATRIX_PANEL_PK, assignment=MATRIX_PANEL_PK
    ),
    **_anymail_routes(),
    # Joining Q (issue 5 point 2): the join page and eligibility check need no account;
    # starting is POST only; an application answers 404 to anyone but its applicant.
    "members:join": Entry(same(OK)),
    "members:eligibility": Entry(same(OK)),
    "members:application-start": Entry(signed_in(METHOD_NOT_ALLOWED), {"pk": 1}),
    "members:application-list": Entry(signed_in(OK)),
    "members:application-detail": _application_entry(),
    "members:application-edit": _application_entry(),
    "members:application-check": _application_entry(),
    "members:application-submitted": _application_entry(),
    "members:application-withdraw": _application_entry(),
    # Q Exchange (issue 6): proposals of published rounds are public pages.
    "exchange:proposal-detail": Entry(same(OK), {"slug": "matrix-proposal"}, _matrix_proposal),
    # Decisions: moderators and staff admins; updates: the proposal's own team (not a matrix
    # user), and only once funded.
    "exchange:proposal-decide": Entry(staff_only(), {"slug": "matrix-proposal"}, _matrix_proposal),
    "exchange:update-create": Entry(
        signed_in(NOT_FOUND), {"slug": "matrix-proposal"}, _matrix_proposal
    ),
    # Comments (issue 6 point 4): anyone signed in comments (others as guests); only the author
    # changes a comment; moderators (staff here) work the queue; hiding and dismissing are POST.
    "exchange:comment-create": Entry(signed_in(OK), {"slug": "matrix-proposal"}, _matrix_proposal),
    "exchange:comment-reply": _comment_entry(signed_in(OK)),
    "exchange:comment-edit": _comment_entry(signed_in(NOT_FOUND)),
    "exchange:comment-report": _comment_entry(signed_in(OK)),
    "exchange:moderation-queue": Entry(staff_only()),
    "exchange:moderation-comment": _moderation_entry(staff_only()),
    "exchange:moderation-comment-hide": _moderation_entry(MODERATOR_POST_ONLY),
    "exchange:moderation-comment-dismiss": _moderation_entry(MODERATOR_POST_ONLY),
    "exchange:moderation-comment-unhide": _moderation_entry(MODERATOR_POST_ONLY),
    # Supporting and voting (issue 6 point 5): supporting is a POST by members; the ballot pages
    # are members'; results are public (counts only after voting closes); turnout is for
    # moderators and staff.
    "exchange:support": Entry(
        {"anonymous": LOGIN, "user": NOT_FOUND, "member": METHOD_NOT_ALLOWED, "staff": NOT_FOUND},
        {"slug": "matrix-proposal"},
        _matrix_proposal,
    ),
    "exchange:supported": Entry(members_only()),
    # A signed-in person who is not a member is told who can vote and how to join (403).
    "exchange:ballot": _voting_entry(MEMBERS_VOTE),
    "exchange:your-ballot": _voting_entry(MEMBERS_VOTE),
    "exchange:results": _voting_entry(same(OK)),
    "exchange:turnout": _voting_entry(staff_only()),
    # Writing proposals (issue 6 point 2): members post ideas; only the lead and accepted
    # co-authors reach the team pages (404 for others); the invitation page is the invitee's.
    "exchange:idea-new": Entry(members_only(), {"year": 2190}, _matrix_idea_round),
    "exchange:proposal-edit": _editor_entry(),
    "exchange:proposal-team": _editor_entry(),
    "exchange:team-accept": _editor_entry(),
    # Handing over the lead (issue 13 point 6): the lead and the proposed lead only.
    "exchange:lead-handover": _editor_entry(),
    "exchange:proposal-plan": _editor_entry(),
    "exchange:proposal-attachments": _editor_entry(),
    "exchange:proposal-develop": _editor_entry(),
    "exchange:proposal-withdraw": _editor_entry(),
    "exchange:proposal-plan-ics": Entry(same(OK), {"slug": "matrix-proposal"}, _matrix_proposal),
    "exchange:proposal-print": Entry(same(OK), {"slug": "matrix-proposal"}, _matrix_proposal),
    "exchange:attachment-download": Entry(
        same(OK), {"slug": "matrix-proposal", "token": "matrixtoken"}, _matrix_proposal_file
    ),
    # Q Exchange browsing (issue 6 point 3): published rounds are public; unpublished ones are
    # not found for anyone but staff. Staff set up rounds (point 1).
    "exchange:round-list": Entry(same(OK)),
    "exchange:round-detail": Entry(same(OK), {"year": MATRIX_BROWSE_YEAR}, _matrix_exchange_round),
    "exchange:round-detail (unpublished)": _exchange_draft_entry(
        staff_only() | {"anonymous": NOT_FOUND},
        "exchange:round-detail",
        year=MATRIX_EXCHANGE_DRAFT_YEAR,
    ),
    "exchange:round-feed": Entry(same(OK), {"year": MATRIX_BROWSE_YEAR}, _matrix_exchange_round),
    "exchange:round-feed (unpublished)": _exchange_draft_entry(
        staff_only() | {"anonymous": NOT_FOUND},
        "exchange:round-feed",
        year=MATRIX_EXCHANGE_DRAFT_YEAR,
    ),
    "exchange-staff:round-list": Entry(staff_only()),
    "exchange-staff:round-create": Entry(staff_only()),
    "exchange-staff:round-edit": _exchange_draft_entry(staff_only(), pk=MATRIX_EXCHANGE_ROUND_PK),
    "exchange-staff:round-publish": _exchange_draft_entry(
        staff_only(), pk=MATRIX_EXCHANGE_ROUND_PK
    ),
    "exchange-staff:round-export": _exchange_draft_entry(staff_only(), pk=MATRIX_EXCHANGE_ROUND_PK),
    "exchange-staff:round-proposals-csv": _exchange_draft_entry(
        staff_only(), pk=MATRIX_EXCHANGE_ROUND_PK
    ),
    # Q Exchange shortlisting (issue 6 point 6): panel pages are their members' own (404 for
    # anyone else; staff see the overview but not a reviewer's work); staff set them up.
    "exchange:shortlist-panels": Entry(staff_only()),
    "exchange:shortlist-panel": _shortlist_entry(signed_in(NOT_FOUND), pk=MATRIX_SHORTLIST_PK),
    "exchange:shortlist-overview": _shortlist_entry(staff_only(), pk=MATRIX_SHORTLIST_PK),
    "exchange:shortlist-assignment": _shortlist_entry(signed_in(NOT_FOUND), pk=MATRIX_SHORTLIST_PK),
    "exchange:shortlist-review": _shortlist_entry(signed_in(NOT_FOUND), pk=MATRIX_SHORTLIST_PK),
    "exchange-staff:round-criteria": _shortlist_entry(staff_only(), pk=MATRIX_SHORTLIST_PK),
    "exchange-staff:round-panels": _shortlist_entry(staff_only(), pk=MATRIX_SHORTLIST_PK),
    "exchange-staff:panel-detail": _shortlist_entry(
        staff_only(), pk=MATRIX_SHORTLIST_PK, panel=MATRIX_SHORTLIST_PK
    ),
    "exchange-staff:panel-distribute": _shortlist_entry(
        STAFF_POST_ONLY, pk=MATRIX_SHORTLIST_PK, panel=MATRIX_SHORTLIST_PK
    ),
    "exchange-staff:assignment-reassign": _shortlist_entry(
        staff_only(),
        pk=MATRIX_SHORTLIST_PK,
        panel=MATRIX_SHORTLIST_PK,
        assignment=MATRIX_SHORTLIST_PK,
    ),
    # Quality Mark standards (issue 16): coordinators and staff admins only.
    "accreditation-staff:standard-list": Entry(staff_only()),
    "accreditation-staff:standard-create": Entry(staff_only()),
    "accreditation-staff:standard-detail": _standard_entry(staff_only()),
    "accreditation-staff:version-draft": _standard_entry(staff_only()),
    "accreditation-staff:version-detail": _version_entry(staff_only()),
    "accreditation-staff:version-preview": _version_entry(staff_only()),
    "accreditation-staff:version-publish": _version_entry(staff_only()),
    "accreditation-staff:version-discard": _version_entry(staff_only()),
    "accreditation-staff:version-export-csv": _version_entry(staff_only()),
    "accreditation-staff:version-export-json": _version_entry(staff_only()),
    "accreditation-staff:part-move": _version_entry(STAFF_POST_ONLY),
    **{
        f"accreditation-staff:{part}-add": _version_entry(staff_only())
        for part in ("domain", "criterion", "level")
    },
    **{
        f"accreditation-staff:{part}-{action}": _version_entry(staff_only(), pk=MATRIX_STANDARD_PK)
        for part in ("domain", "criterion", "level")
        for action in ("edit", "remove")
    },
    # The Quality Mark's provider organisations (issue 16 point 2): the landing page is
    # public; registering needs an account; an organisation's pages are for its staff,
    # coordinators and staff administrators (404 for anyone else); coordinators verify.
    "accreditation:landing": Entry(same(OK)),
    "accreditation:organisation-register": Entry(signed_in(OK)),
    "accreditation:organisation-detail": _provider_entry(staff_only()),
    "accreditation:organisation-edit": _provider_entry(PROVIDER_STAFF_ONLY),
    "accreditation:programme-create": _provider_entry(PROVIDER_STAFF_ONLY),
    "accreditation:programme-edit": _provider_entry(PROVIDER_STAFF_ONLY, pk=MATRIX_PROVIDER_PK),
    "accreditation:programme-remove": _provider_entry(PROVIDER_STAFF_ONLY, pk=MATRIX_PROVIDER_PK),
    "accreditation:staff-list": _provider_entry(staff_only()),
    "accreditation:staff-invite": _provider_entry(staff_only()),
    "accreditation:staff-remove": _provider_entry(staff_only(), user_id=MATRIX_PROVIDER_PK),
    "accreditation:invitation-withdraw": _provider_entry(STAFF_POST_ONLY, pk=MATRIX_PROVIDER_PK),
    "accreditation-staff:organisation-list": Entry(staff_only()),
    "accreditation-staff:organisation-verify": _provider_entry(staff_only()),
    # The admin's own sign-in form is replaced by a redirect to allauth's sign-in (two-factor).
    "admin-login": Entry(
        {"anonymous": LOGIN, "user": NOT_FOUND, "member": NOT_FOUND, "staff": REDIRECT}
    ),
    # The Django admin is checked at its index; its other views share the same gate.
    "admin:*": Entry(
        {"anonymous": ADMIN_LOGIN, "user": ADMIN_LOGIN, "member": ADMIN_LOGIN, "staff": OK}
    ),
}


def _walk(patterns, namespace=None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            ns = namespace
            if pattern.namespace:
                ns = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, ns)
        elif isinstance(pattern, URLPattern):
            if pattern.name is None:
                yield f"{namespace or ''}:<unnamed {pattern.pattern}>"
            else:
                yield f"{namespace}:{pattern.name}" if namespace else pattern.name


def all_route_names(urlconf: str | None = None) -> list[str]:
    return sorted(set(_walk(get_resolver(urlconf).url_patterns)))


def entry_for(name: str) -> Entry | None:
    if name in MATRIX:
        return MATRIX[name]
    namespace = name.split(":", 1)[0]
    return MATRIX.get(f"{namespace}:*") if ":" in name else None


def routes_without_entry(urlconf: str | None = None) -> list[str]:
    return [name for name in all_route_names(urlconf) if entry_for(name) is None]


def test_every_route_has_an_entry():
    missing = routes_without_entry()
    assert not missing, (
        "These routes have no entry in tests/test_permission_matrix.py MATRIX; add one saying "
        "who may see them: " + ", ".join(missing)
    )


def test_matrix_has_no_stale_entries():
    names = set(all_route_names())
    stale = [n for n, e in MATRIX.items() if not n.endswith(":*") and (e.route or n) not in names]
    assert not stale, f"Entries for routes that no longer exist: {stale}"


def _user_for(kind: str):
    if kind == "anonymous":
        return None
    if kind == "user":
        return UserFactory()
    if kind == "member":
        return UserFactory(roles=[Role.MEMBER])
    admin = UserFactory(roles=[Role.STAFF_ADMIN], is_staff=True)
    TOTP.activate(admin, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    return admin


def _classify(response, path: str) -> str:
    status = response.status_code
    if status == 200:
        return OK
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return METHOD_NOT_ALLOWED
    if status in (301, 302):
        location = response.headers["Location"]
        if location.startswith(reverse("account_login")):
            return LOGIN
        if location.startswith("/admin/login/"):
            return ADMIN_LOGIN
        if location.startswith((reverse("account_reauthenticate"), reverse("mfa_reauthenticate"))):
            return REAUTH
        if location == "/":
            return HOME
        return REDIRECT
    return str(status)


def _cases():
    for name, entry in sorted(MATRIX.items()):
        for kind in KINDS:
            yield pytest.param(name, entry, kind, id=f"{name}-{kind}")


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "entry", "kind"), list(_cases()))
def test_route_answers_as_the_matrix_says(client, name, entry, kind):
    url_name = "admin:index" if name == "admin:*" else (entry.route or name)
    path = reverse(url_name, kwargs=entry.kwargs or None)
    if entry.setup is not None:
        entry.setup()
    user = _user_for(kind)
    if user is not None:
        client.force_login(user)
    response = client.get(path)
    assert _classify(response, path) == entry.expect[kind], (
        f"{name} as {kind}: got {response.status_code} {response.headers.get('Location', '')}"
    )


def test_a_new_route_without_an_entry_is_named():
    """The check above really fails for a route nobody listed."""
    assert routes_without_entry("tests.urls_with_unlisted_route") == ["unlisted-route"]


# Panel routes as the people around a panel (issue 5): the reviewer of assignment 930001, the
# other reviewer of the same application, the chair, the Oxford panel's reviewer and chair
# (another region), the applicant and an unrelated member.
PANEL_PEOPLE = (
    "reviewer",
    "same_panel_reviewer",
    "chair",
    "other_region_reviewer",
    "other_region_chair",
    "applicant",
    "member",
)


def _people(reviewer=NOT_FOUND, same=NOT_FOUND, chair=NOT_FOUND, other=NOT_FOUND):
    return {
        "reviewer": reviewer,
        "same_panel_reviewer": same,
        "chair": chair,
        "other_region_reviewer": other,
        "other_region_chair": other,
        "applicant": NOT_FOUND,
        "member": NOT_FOUND,
    }


# The joining panels' routes (the kit's pages for `APPLICATION_PANELS`, and joining's own),
# read from the feature's URL lists so that a new panel route must join the matrix below.
PANEL_ROUTES = {f"members:{p.name}" for p in panel_urls.urlpatterns}
PANEL_STAFF_ROUTES = {f"members-staff:{p.name}" for p in panel_urls.staff_urlpatterns}


PANEL_PEOPLE_MATRIX = {
    "members:panel-list": _people(OK, OK, OK, OK),
    "members:panel-detail": _people(OK, OK, OK),
    "members:chair": _people(chair=OK),
    "members:chair-application": _people(chair=OK),
    # Before the conflict question is answered, the scoring pages send the reviewer back to it.
    "members:assignment-detail": _people(reviewer=OK),
    "members:assignment-review": _people(reviewer=REDIRECT),
    "members:assignment-check": _people(reviewer=REDIRECT),
    **{name: _people() for name in PANEL_STAFF_ROUTES},
}


def _panel_person(kind: str, setup):
    from qcommunity.scoring.models import Assignment

    assignment = Assignment.objects.get(pk=MATRIX_PANEL_PK)
    return {
        "reviewer": lambda: assignment.reviewer,
        "same_panel_reviewer": lambda: next(
            r for r in setup.reviewers if r.pk != assignment.reviewer_id
        ),
        "chair": lambda: setup.chair,
        "other_region_reviewer": lambda: setup.other_reviewer,
        "other_region_chair": lambda: setup.other_chair,
        "applicant": lambda: setup.applications[0].applicant,
        "member": lambda: UserFactory(roles=[Role.MEMBER]),
    }[kind]()


def test_panel_people_matrix_covers_every_panel_route():
    panel_routes = {n for n in all_route_names() if n in PANEL_ROUTES or n in PANEL_STAFF_ROUTES}
    assert set(PANEL_PEOPLE_MATRIX) == panel_routes


@pytest.mark.django_db
@pytest.mark.parametrize("kind", PANEL_PEOPLE)
def test_panel_routes_for_panel_people(client, kind):
    """One setup per kind of person, every panel route requested in turn."""
    setup = _matrix_panels()
    client.force_login(_panel_person(kind, setup))
    wrong = []
    for name, expect in sorted(PANEL_PEOPLE_MATRIX.items()):
        path = reverse(name, kwargs=MATRIX[name].kwargs or None)
        response = client.get(path)
        got = _classify(response, path)
        if got != expect[kind]:
            wrong.append(f"{name}: expected {expect[kind]}, got {got} {response.status_code}")
    assert wrong == []
