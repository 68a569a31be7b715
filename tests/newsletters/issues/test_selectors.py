"""Who an issue goes to: confirmed, not suppressed, and (with a segment) matching members."""

import pytest

from qcommunity.accounts.enums import Role
from qcommunity.core.taxonomy import Region, RoleType
from qcommunity.newsletters.issues.selectors import issue_recipient_subscriptions
from qcommunity.newsletters.subscriptions.enums import SubscriptionStatus, SuppressionReason
from qcommunity.newsletters.subscriptions.models import Suppression
from tests.factories.accounts import UserFactory
from tests.factories.members import ProfileFactory, topic
from tests.factories.newsletters import (
    ContactFactory,
    IssueFactory,
    NewsletterFactory,
    SubscriptionFactory,
)

pytestmark = pytest.mark.django_db


def emails(issue):
    return sorted(s.contact.email for s in issue_recipient_subscriptions(issue))


def member_subscriber(newsletter, email, *, region=Region.WESSEX, role_types=(), topics=()):
    profile = ProfileFactory(
        user=UserFactory(email=email, roles=[Role.MEMBER]),
        region=region,
        role_types=list(role_types),
        topics=list(topics),
    )
    contact = ContactFactory(email=email, user=profile.user)
    return SubscriptionFactory(contact=contact, newsletter=newsletter)


def test_only_confirmed_subscriptions_of_this_newsletter():
    newsletter = NewsletterFactory()
    issue = IssueFactory(newsletter=newsletter)
    SubscriptionFactory(newsletter=newsletter, contact=ContactFactory(email="yes@example.org"))
    for status in (
        SubscriptionStatus.PENDING,
        SubscriptionStatus.UNSUBSCRIBED,
        SubscriptionStatus.BOUNCED,
        SubscriptionStatus.COMPLAINED,
    ):
        SubscriptionFactory(newsletter=newsletter, status=status)
    SubscriptionFactory(contact=ContactFactory(email="other@example.org"))
    assert emails(issue) == ["yes@example.org"]


def test_suppressed_addresses_are_left_out_whatever_their_case():
    newsletter = NewsletterFactory()
    issue = IssueFactory(newsletter=newsletter)
    for address in ("global@example.org", "this@example.org", "that@example.org", "ok@example.org"):
        SubscriptionFactory(newsletter=newsletter, contact=ContactFactory(email=address))
    Suppression.objects.create(email="GLOBAL@Example.org", reason=SuppressionReason.BOUNCED)
    Suppression.objects.create(
        email="This@example.org", reason=SuppressionReason.UNSUBSCRIBED, newsletter=newsletter
    )
    Suppression.objects.create(
        email="that@example.org",
        reason=SuppressionReason.UNSUBSCRIBED,
        newsletter=NewsletterFactory(),
    )
    assert emails(issue) == ["ok@example.org", "that@example.org"]


def test_a_segment_leaves_out_contacts_without_a_member_profile():
    newsletter = NewsletterFactory()
    issue = IssueFactory(newsletter=newsletter, segment_regions=[Region.WESSEX])
    SubscriptionFactory(newsletter=newsletter, contact=ContactFactory(email="stake@example.org"))
    no_profile = UserFactory(email="user@example.org")
    SubscriptionFactory(
        newsletter=newsletter, contact=ContactFactory(email="user@example.org", user=no_profile)
    )
    member_subscriber(newsletter, "member@example.org")
    assert emails(issue) == ["member@example.org"]


def test_a_blank_segment_means_the_whole_list():
    newsletter = NewsletterFactory()
    issue = IssueFactory(newsletter=newsletter)
    SubscriptionFactory(newsletter=newsletter, contact=ContactFactory(email="stake@example.org"))
    member_subscriber(newsletter, "member@example.org")
    assert emails(issue) == ["member@example.org", "stake@example.org"]


def test_choices_within_a_kind_combine_with_or():
    newsletter = NewsletterFactory()
    issue = IssueFactory(newsletter=newsletter, segment_regions=[Region.WESSEX, Region.WALES])
    member_subscriber(newsletter, "wessex@example.org", region=Region.WESSEX)
    member_subscriber(newsletter, "wales@example.org", region=Region.WALES)
    member_subscriber(newsletter, "oxford@example.org", region=Region.OXFORD)
    assert emails(issue) == ["wales@example.org", "wessex@example.org"]


def test_role_types_match_any_overlap():
    newsletter = NewsletterFactory()
    issue = IssueFactory(
        newsletter=newsletter, segment_role_types=[RoleType.RESEARCHER, RoleType.PATIENT_LEADER]
    )
    member_subscriber(
        newsletter, "both@example.org", role_types=[RoleType.MANAGER, RoleType.RESEARCHER]
    )
    member_subscriber(newsletter, "manager@example.org", role_types=[RoleType.MANAGER])
    assert emails(issue) == ["both@example.org"]


def test_kinds_combine_with_and():
    newsletter = NewsletterFactory()
    safety = topic("Patient safety")
    issue = IssueFactory(
        newsletter=newsletter,
        segment_regions=[Region.WESSEX],
        segment_role_types=[RoleType.FRONTLINE],
    )
    issue.segment_topics.set([safety])
    member_subscriber(
        newsletter, "all@example.org", role_types=[RoleType.FRONTLINE], topics=[safety]
    )
    member_subscriber(newsletter, "no-topic@example.org", role_types=[RoleType.FRONTLINE])
    member_subscriber(newsletter, "no-role@example.org", topics=[safety])
    member_subscriber(
        newsletter,
        "elsewhere@example.org",
        region=Region.OXFORD,
        role_types=[RoleType.FRONTLINE],
        topics=[safety],
    )
    assert emails(issue) == ["all@example.org"]


def test_topics_match_any_of_the_chosen():
    newsletter = NewsletterFactory()
    safety, frailty = topic("Patient safety"), topic("Ageing and frailty")
    issue = IssueFactory(newsletter=newsletter)
    issue.segment_topics.set([safety, frailty])
    member_subscriber(newsletter, "frailty@example.org", topics=[frailty])
    member_subscriber(newsletter, "none@example.org")
    assert emails(issue) == ["frailty@example.org"]


def test_a_segment_leaves_out_people_who_are_no_longer_members():
    newsletter = NewsletterFactory()
    issue = IssueFactory(newsletter=newsletter, segment_regions=[Region.WESSEX])
    subscription = member_subscriber(newsletter, "former@example.org")
    subscription.contact.user.roles.all().delete()
    assert emails(issue) == []


def test_segmented_suppressed_members_are_still_left_out():
    newsletter = NewsletterFactory()
    issue = IssueFactory(newsletter=newsletter, segment_regions=[Region.WESSEX])
    member_subscriber(newsletter, "gone@example.org")
    Suppression.objects.create(email="gone@example.org", reason=SuppressionReason.COMPLAINED)
    assert emails(issue) == []
