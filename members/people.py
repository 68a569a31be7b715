"""What the members app shows on a person's staff account page (`qcommunity.people.facts`):
membership and the directory entry, applications to join; and the organisation on a directory
entry as something staff's people search matches (close spellings too)."""

from django.db.models import Exists, OuterRef, Q
from django.urls import reverse

from qcommunity.accounts.enums import Role
from qcommunity.core.formatting import uk_date
from qcommunity.people.facts import AccountFacts, AccountSection, Fact, register

from .directory.models import Profile
from .joining.models import Application


def membership_section(user) -> AccountSection:
    facts = []
    member_since = next((r.granted_at for r in user.roles.all() if r.role == Role.MEMBER), None)
    facts.append(Fact("Member", f"Since {uk_date(member_since)}" if member_since else "No"))
    profile = Profile.objects.filter(user=user).only("slug", "visibility", "organisation").first()
    if profile is not None:
        facts.append(
            Fact(
                "Directory entry",
                profile.get_visibility_display(),
                reverse("members:profile-detail", args=[profile.slug]),
            )
        )
        if profile.organisation:
            facts.append(Fact("Organisation", profile.organisation))
    for application in (
        Application.objects.filter(applicant=user)
        .select_related("round")
        .order_by("-created_at")[:10]
    ):
        facts.append(
            Fact(
                f"Application {application.reference or '(draft)'}",
                f"{application.round.name}: {application.get_status_display()}",
                reverse("members-staff:round-detail", args=[application.round_id]),
            )
        )
    return AccountSection("Membership", facts)


def organisation_matches(text: str) -> Q:
    return Q(
        Exists(Profile.objects.filter(user=OuterRef("pk"), organisation__trigram_word_similar=text))
    )


register(
    AccountFacts(key="members", order=20, section=membership_section, search=organisation_matches)
)
