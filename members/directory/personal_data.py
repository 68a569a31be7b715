"""What the members app holds about a person (qcommunity.privacy.registry): their directory
entry, random coffee, messages relayed through the site, applications to join Q and their work on
joining Q panels. Each source exports in a fixed number of queries and erases with set-based
updates and deletes, inside the account deletion's transaction.

Choices made on deletion, and why:
- The directory entry is deleted with its photo file (after commit) and its topics, approaches
  and offers. Messages others sent to the entry go with it (they point at the entry and were
  delivered by email already).
- Random coffee pairings stay: they are also the other person's history, which now shows
  "Former member" (messaging a former member is not offered, since the account is inactive).
- Messages the person sent through the site are deleted (the recipient already has the email).
- Applications that were submitted stay with their decision (the privacy notice says decisions
  are kept), but their answers and the job title, organisation and course year on them are
  blanked; drafts never submitted are deleted. Region, type of organisation and role types stay:
  they route the application to its regional panel and count in round reports, and name nobody.
- Panel work (membership rounds only; Exchange panels belong to exchange's own sources):
  submitted reviews and declared conflicts stay, for the fairness of the decisions; unfinished
  reviews are withdrawn through the scoring kit's one transition point so staff can give them to
  another reviewer; places on panels of rounds not yet released are removed, places on panels of
  released rounds stay (who decided) without the organisation. Decisions recorded as a chair
  stay (no erase step): the account's tombstone shows as "Former member"."""

from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from qcommunity.core.taxonomy import Nation, OrganisationType, Region, RoleType
from qcommunity.privacy.registry import PersonalData, register

from .cache import directory_changed
from .enums import Visibility
from .models import ContactMessage, Profile

VISIBILITY = dict(Visibility.choices)
ORGANISATION_TYPE = dict(OrganisationType.choices)
ROLE_TYPE = dict(RoleType.choices)
REGION = dict(Region.choices)
NATION = dict(Nation.choices)


def _labels(codes, labels: dict) -> list[str]:
    return [labels.get(code, code) for code in codes]


# Directory entry -------------------------------------------------------------------------------


def profile_export(user) -> list[dict]:
    profile = (
        Profile.objects.filter(user_id=user.pk)
        .prefetch_related("topics", "approaches", "offers")
        .first()
    )
    if profile is None:
        return []
    return [
        {
            "address": profile.slug,
            "who_can_see_it": VISIBILITY.get(profile.visibility, profile.visibility),
            "takes_messages_through_the_site": profile.accepts_messages,
            "pronouns": profile.pronouns,
            "job_title": profile.job_title,
            "organisation": profile.organisation,
            "type_of_organisation": ORGANISATION_TYPE.get(profile.organisation_type, ""),
            "what_describes_your_role": _labels(profile.role_types, ROLE_TYPE),
            "region": REGION.get(profile.region, ""),
            "nation": NATION.get(profile.nation, ""),
            "topics": [t.name for t in profile.topics.all()],
            "approaches": [a.name for a in profile.approaches.all()],
            "offers": [o.name for o in profile.offers.all()],
            "what_you_are_working_on": profile.working_on,
            "links": profile.links,
            "photo_file": profile.photo.name or "",
            "last_confirmed_up_to_date_at": profile.confirmed_at,
            "published_at": profile.published_at,
            "created_at": profile.created_at,
            "updated_at": profile.updated_at,
        }
    ]


def profile_erase(user) -> None:
    """Delete the entry (its topics, approaches, offers and the messages sent to it go with it)
    and, once the deletion commits, its photo file; make cached directory pages stale."""
    photos = [
        name
        for name in Profile.objects.filter(user_id=user.pk).values_list("photo", flat=True)
        if name
    ]
    Profile.objects.filter(user_id=user.pk).delete()
    for name in photos:
        transaction.on_commit(lambda name=name: default_storage.delete(name))
    directory_changed()


# Messages relayed through the site -------------------------------------------------------------


def contact_export(user) -> list[dict]:
    sent = (
        ContactMessage.objects.filter(sender_id=user.pk)
        .select_related("recipient__user")
        .order_by("created_at", "id")
    )
    received = (
        ContactMessage.objects.filter(recipient__user_id=user.pk)
        .select_related("sender")
        .order_by("created_at", "id")
    )
    return [
        *(
            {
                "sent_or_received": "Sent",
                "to": m.recipient.display_name,
                "subject": m.subject,
                "message": m.body,
                "let_them_reply_by_email": m.allow_reply,
                "sent_at": m.created_at,
            }
            for m in sent
        ),
        *(
            {
                "sent_or_received": "Received",
                "from": m.sender.full_name or m.sender.display_name,
                "received_at": m.created_at,
            }
            for m in received
        ),
    ]


def contact_erase(user) -> None:
    ContactMessage.objects.filter(Q(sender_id=user.pk) | Q(recipient__user_id=user.pk)).delete()


register(
    PersonalData(
        key="members.profile",
        label="Your directory entry",
        on_delete="Deleted, with its photo, topics and links. It no longer appears in the "
        "directory.",
        export=profile_export,
        erase=profile_erase,
        order=20,
    )
)
register(
    PersonalData(
        key="members.contact",
        label="Messages you sent to other members through the site, and who sent messages to you",
        on_delete="Deleted. Messages already emailed to other members stay in their inboxes.",
        export=contact_export,
        erase=contact_erase,
        order=24,
    )
)
