"""Every kind a member can choose in the directory and newsletter areas is sent through their
choice: for each one, its real sender is run for three people who chose "straight away",
"daily summary" and "off", and only the first gets an email, only the second a summary item.

The registry check at the end fails when a choosable kind is added to these groups without a
sender here. (Exchange kinds are tested with the Exchange; labs and accreditation send none yet.)"""

import pytest
from django.urls import reverse

from members.panels.notifications import PANEL_ASSIGNMENT
from members.panels.services import application_assignments_distribute, round_panel_member_add
from qcommunity.accounts.enums import Role
from qcommunity.newsletters.notifications import SHOWCASE_DECISION
from qcommunity.newsletters.showcase import services as showcase_services
from qcommunity.notifications import kinds
from qcommunity.notifications.models import DigestItem
from qcommunity.notifications.services import notification_preferences_set
from qcommunity.outbox.models import OutboxEmail
from tests.factories.accounts import UserFactory
from tests.factories.newsletters import ShowcaseItemFactory, editor_user
from tests.factories.panels import panel_in_review, staff_user, two_factor_user

pytestmark = pytest.mark.django_db

CHOICES = ("immediately", "daily", "off")


def people(kind: str, make) -> dict[str, object]:
    chosen = {}
    for delivery in CHOICES:
        person = make(full_name=f"Chose {delivery}")
        notification_preferences_set(user=person, choices={kind: delivery}, actor=person)
        chosen[delivery] = person
    return chosen


def send_showcase_approved(recipients):
    editor = editor_user()
    for person in recipients:
        showcase_services.showcase_approve(
            actor=editor, item=ShowcaseItemFactory(submitted_by=person)
        )


def send_showcase_returned(recipients):
    editor = editor_user()
    for person in recipients:
        item = ShowcaseItemFactory(submitted_by=person)
        showcase_services.showcase_return(actor=editor, item=item, reason="Say what changed")


def send_panel_assignment(recipients):
    staff = staff_user()
    # Three applications needing two reviews each: every one of three reviewers gets some.
    setup = panel_in_review(staff, applications=3, reviewers=0)
    OutboxEmail.objects.all().delete()
    for person in recipients:
        round_panel_member_add(actor=staff, panel=setup.panel, user=person, organisation="X")
    OutboxEmail.objects.filter(kind="panel_invitation").delete()
    application_assignments_distribute(actor=staff, panel=setup.panel)


def member(**kwargs):
    return UserFactory(roles=[Role.MEMBER], **kwargs)


# kind -> [(what is sent, how to make a recipient, the sender)]
SENDERS = {
    SHOWCASE_DECISION: [
        ("approved", member, send_showcase_approved),
        ("returned", member, send_showcase_returned),
    ],
    PANEL_ASSIGNMENT: [("reviews given", two_factor_user, send_panel_assignment)],
}
AREA_GROUPS = ("Membership and panels", "Newsletter showcase")


@pytest.mark.parametrize(
    ("kind", "make", "send"),
    [
        pytest.param(kind, make, send, id=f"{kind}-{name}")
        for kind, senders in SENDERS.items()
        for name, make, send in senders
    ],
)
def test_each_sender_follows_the_members_choice(kind, make, send):
    chosen = people(kind, make)
    send(list(chosen.values()))
    notices = OutboxEmail.objects.filter(kind="notification")
    assert list(notices.values_list("recipient", flat=True)) == [chosen["immediately"].email]
    assert list(DigestItem.objects.values_list("user_id", "kind")) == [(chosen["daily"].pk, kind)]
    # Nothing at all reaches the person who chose "off", by any kind of email.
    assert not OutboxEmail.objects.filter(recipient=chosen["off"].email).exists()


def test_every_choosable_kind_of_these_areas_has_a_sender_tested_here():
    choosable = {
        kind.key for kind in kinds.all_kinds() if kind.group in AREA_GROUPS and not kind.required
    }
    assert choosable == set(SENDERS)


def test_an_editor_returning_an_item_through_the_page_honours_the_daily_summary(client):
    owner = member()
    notification_preferences_set(user=owner, choices={SHOWCASE_DECISION: "daily"}, actor=owner)
    item = ShowcaseItemFactory(submitted_by=owner, title="Huddles")
    client.force_login(editor_user())
    client.post(
        reverse("newsletters-staff:showcase-return", args=[item.pk]), {"reason": "More, please"}
    )
    assert not OutboxEmail.objects.filter(recipient=owner.email).exists()
    waiting = DigestItem.objects.get(user=owner)
    assert waiting.subject == "Your showcase submission needs changes: Huddles"
    assert "More, please" in waiting.body
