"""Writes for directory entries."""

import datetime as dt
import json

from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import UserRole
from qcommunity.accounts.services import role_grant
from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.outbox.services import email_queue_template

from .cache import directory_changed
from .enums import Visibility
from .models import ContactMessage, Profile
from .selectors import profile_takes_messages

# One set-based statement for any number of entries. Region, role type and organisation type are
# stored as codes; their labels (what people type: "Wessex", "Patient leader") come in as JSON
# parameters. `search_terms` (trigram, for typos) holds names, organisation, topics, approaches
# and those labels; `search_vector` (full text) weighs names highest, then job, organisation,
# topics and approaches, then the labels and "working on".
SEARCH_REFRESH_SQL = """
UPDATE members_profile AS p SET
  sort_name = lower(coalesce(nullif(x.full_name, ''), x.preferred_name, '')),
  search_terms = lower(concat_ws(' ', x.full_name, x.preferred_name, p.organisation, x.topics,
    x.approaches, x.labels)),
  name_codes = ARRAY(
    SELECT DISTINCT soundex(w) FROM regexp_split_to_table(
      lower(x.full_name || ' ' || x.preferred_name), '[^[:alpha:]]+') AS w
    WHERE w <> ''),
  search_vector =
    setweight(to_tsvector('english', x.full_name || ' ' || x.preferred_name), 'A') ||
    setweight(to_tsvector('english', p.job_title || ' ' || p.organisation), 'B') ||
    setweight(to_tsvector('english', x.topics || ' ' || x.approaches), 'B') ||
    setweight(to_tsvector('english', x.labels || ' ' || p.working_on), 'C')
FROM (
  SELECT q.id, u.full_name, u.preferred_name,
    coalesce((
      SELECT string_agg(t.name, ' ') FROM members_profile_topics pt
      JOIN members_topic t ON t.id = pt.topic_id WHERE pt.profile_id = q.id), '') AS topics,
    coalesce((
      SELECT string_agg(a.name, ' ') FROM members_profile_approaches pa
      JOIN members_approach a ON a.id = pa.approach_id WHERE pa.profile_id = q.id), '')
      AS approaches,
    concat_ws(' ',
      %(regions)s::jsonb ->> q.region,
      (SELECT string_agg(%(role_types)s::jsonb ->> r, ' ') FROM unnest(q.role_types) AS r),
      %(organisation_types)s::jsonb ->> q.organisation_type) AS labels
  FROM members_profile AS q JOIN accounts_user AS u ON u.id = q.user_id
  WHERE q.id = ANY(%(ids)s)
) AS x
WHERE p.id = x.id
"""


def search_label_parameters() -> dict[str, str]:
    """The labels of the coded fields, as the JSON parameters SEARCH_REFRESH_SQL reads."""
    return {
        "regions": json.dumps(dict(Region.choices)),
        "role_types": json.dumps(dict(RoleType.choices)),
        "organisation_types": json.dumps(dict(OrganisationType.choices)),
    }


def profile_refresh_search(*, profile_ids: list[int]) -> None:
    """Recompute the search columns of these profiles from their current data, in one statement.
    Call after any change to names, job, organisation, its type, role types, region, topics,
    approaches or "working on"."""
    if profile_ids:
        with connection.cursor() as cursor:
            cursor.execute(
                SEARCH_REFRESH_SQL, {"ids": list(profile_ids), **search_label_parameters()}
            )
        directory_changed()  # a bulk UPDATE sends no signal


def unique_profile_slug(name: str) -> str:
    base = slugify(name)[:100] or "member"
    slug, n = base, 1
    while Profile.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


@transaction.atomic
def profile_create(*, user, actor, **fields) -> Profile:
    """Create the (hidden) directory entry of a new member. Idempotent per user."""
    existing = Profile.objects.filter(user=user).first()
    if existing:
        return existing
    profile = Profile(user=user, slug=unique_profile_slug(user.full_name or user.display_name))
    for name, value in fields.items():
        setattr(profile, name, value)
    if profile.region:
        profile.nation = Region(profile.region).nation
    profile.visibility = Visibility.HIDDEN
    profile.full_clean()
    profile.save()
    profile_refresh_search(profile_ids=[profile.pk])
    audit_record(actor=actor, action="profile.create", target=profile)
    return profile


@transaction.atomic
def member_make(
    *,
    user,
    actor,
    facts: dict | None = None,
    source: dict | None = None,
    joined_at=None,
    reason: str = "",
) -> Profile:
    """Make `user` a member: the member role and a directory entry, hidden until they publish
    it, filled in from `facts` (job title, organisation and its type, role types, region). An
    entry they already had keeps its visibility; only its empty fields are filled. `source`
    says where the facts came from (an application, a staff decision, an import) in the audit
    row; `joined_at` backdates the member role for past members; `reason` is staff's, kept on
    the role. Used by joining's release, by
    staff making someone a member directly, and by the import of past members."""
    role_grant(user=user, role=Role.MEMBER, actor=actor, reason=reason)
    if joined_at is not None:
        UserRole.objects.filter(user=user, role=Role.MEMBER).update(granted_at=joined_at)
    facts = {name: value for name, value in (facts or {}).items() if value}
    profile = Profile.objects.select_for_update().filter(user=user).first()
    if profile is None:
        profile = profile_create(user=user, actor=actor, **facts)
        filled = list(facts)
    else:
        filled = [name for name in facts if not getattr(profile, name)]
        if filled:
            for name in filled:
                setattr(profile, name, facts[name])
            update = [*filled, "updated_at"]
            if "region" in filled:
                profile.nation = Region(profile.region).nation
                update.append("nation")
            profile.updated_at = timezone.now()
            profile.save(update_fields=update)
            profile_refresh_search(profile_ids=[profile.pk])
    if filled:
        audit_record(
            actor=actor,
            action="profile.prefill",
            target=profile,
            data={**(source or {}), "fields": filled},
        )
    return profile


@transaction.atomic
def profile_update(
    *, profile: Profile, actor, fields: dict, topics=None, approaches=None, offers=None
) -> Profile:
    """Change the entry's own fields and, when given, its topics, approaches and offers; keeps
    the nation in step with the region and refreshes search."""
    for name, value in fields.items():
        setattr(profile, name, value)
    profile.nation = Region(profile.region).nation if profile.region else ""
    profile.updated_at = timezone.now()
    profile.full_clean()
    profile.save(update_fields=[*fields.keys(), "nation", "updated_at"])
    for relation, values in (("topics", topics), ("approaches", approaches), ("offers", offers)):
        if values is not None:
            getattr(profile, relation).set(values)
    profile_refresh_search(profile_ids=[profile.pk])
    return profile


@transaction.atomic
def profile_set_visibility(*, profile: Profile, visibility: str, actor) -> Profile:
    """Publish (members only or public) or hide the entry. Audited; publishing also counts as
    confirming the entry is up to date."""
    visibility = Visibility(visibility)
    if visibility == profile.visibility:
        return profile
    previous = profile.visibility
    profile.visibility = visibility
    now = timezone.now()
    update = ["visibility", "updated_at"]
    profile.updated_at = now
    if visibility != Visibility.HIDDEN:
        profile.published_at = profile.published_at or now
        profile.confirmed_at = now
        update += ["published_at", "confirmed_at"]
    profile.save(update_fields=update)
    audit_record(
        actor=actor,
        action="profile.visibility",
        target=profile,
        data={"from": previous, "to": visibility.value},
    )
    return profile


@transaction.atomic
def profile_set_accepts_messages(*, profile: Profile, accepts: bool, actor) -> Profile:
    """Take messages through the site's relay, or stop. While stopped, `contact_message_send`
    refuses every message to the member, from the directory and from random coffee alike;
    messages already sent stay sent. Audited when it changes."""
    if profile.accepts_messages == accepts:
        return profile
    profile.accepts_messages = accepts
    profile.updated_at = timezone.now()
    profile.save(update_fields=["accepts_messages", "updated_at"])
    audit_record(
        actor=actor,
        action="profile.messages_on" if accepts else "profile.messages_off",
        target=profile,
    )
    return profile


@transaction.atomic
def profile_confirm_up_to_date(*, profile: Profile, actor) -> Profile:
    """Record that the member checked their entry today (the 12-month nudge counts from here).
    Audited, since keeping the entry current is a commitment of membership."""
    profile.confirmed_at = timezone.now()
    profile.save(update_fields=["confirmed_at"])
    audit_record(actor=actor, action="profile.confirm", target=profile)
    return profile


@transaction.atomic
def profile_set_photo(*, profile: Profile, photo, actor) -> Profile:
    """Store an already checked and re-encoded photo (see `.photos.photo_prepare`) and delete
    the one it replaces once the change has committed."""
    old_name = profile.photo.name
    profile.photo.save(photo.name, photo, save=False)
    profile.updated_at = timezone.now()
    profile.save(update_fields=["photo", "updated_at"])
    if old_name:
        transaction.on_commit(lambda: default_storage.delete(old_name))
    audit_record(actor=actor, action="profile.photo", target=profile, data={"photo": "set"})
    return profile


@transaction.atomic
def profile_remove_photo(*, profile: Profile, actor) -> Profile:
    """Take the photo off the entry and delete the file after commit."""
    old_name = profile.photo.name
    if not old_name:
        return profile
    profile.photo = ""
    profile.updated_at = timezone.now()
    profile.save(update_fields=["photo", "updated_at"])
    transaction.on_commit(lambda: default_storage.delete(old_name))
    audit_record(actor=actor, action="profile.photo", target=profile, data={"photo": "removed"})
    return profile


class ContactNotSentError(ServiceError):
    """The message was not sent; the text says why, in words for the sender."""


# (window, most messages a sender may send in it)
CONTACT_LIMITS = (
    (dt.timedelta(hours=1), 5, "an hour"),
    (dt.timedelta(days=1), 20, "a day"),
)


@transaction.atomic
def contact_message_send(
    *, sender, profile: Profile, subject: str, body: str, allow_reply: bool
) -> ContactMessage:
    """Relay a message from `sender` to the member who owns `profile`.

    Rules: nobody messages themselves; a sender may send at most 5 messages an hour and 20 a
    day (counted from stored messages, with the sender's row locked so parallel requests cannot
    both slip under the limit). Side effects: one ContactMessage row, one outbox email to the
    recipient that names the sender and links to their entry but never carries the sender's
    address, except as its Reply-To header when `allow_reply` is set; an audit row without the
    message text. The caller has already checked that `sender` may see `profile`. A member who
    is not taking messages through the site (they said so, or their account is closed) gets
    none: the error says only that, never why."""
    if profile.user_id == sender.pk:
        raise ContactNotSentError("You cannot send a message to yourself")
    if not profile_takes_messages(profile):
        raise ContactNotSentError(f"{profile.display_name} is not taking messages through the site")
    get_user_model().objects.select_for_update().filter(pk=sender.pk).first()
    now = timezone.now()
    sent = ContactMessage.objects.filter(sender=sender)
    for window, limit, words in CONTACT_LIMITS:
        if sent.filter(created_at__gt=now - window).count() >= limit:
            raise ContactNotSentError(
                f"You can send up to {limit} messages {words}. Your message has not been sent. "
                "Try again later."
            )
    message = ContactMessage(
        sender=sender,
        recipient=profile,
        subject=subject.strip(),
        body=body.strip(),
        allow_reply=allow_reply,
        created_at=now,
    )
    message.full_clean()
    message.save()
    sender_profile = Profile.objects.filter(user=sender).exclude(visibility=Visibility.HIDDEN)
    sender_slug = sender_profile.values_list("slug", flat=True).first()
    email_queue_template(
        to=profile.user.email,
        kind="member_contact",
        context={
            "recipient_name": profile.user.display_name,
            "sender_name": sender.full_name or sender.display_name,
            "sender_profile_path": (
                reverse("members:profile-detail", kwargs={"slug": sender_slug})
                if sender_slug
                else ""
            ),
            "subject": message.subject,
            "body": message.body,
            "allow_reply": allow_reply,
        },
        related=message,
        reply_to=sender.email if allow_reply else "",
    )
    audit_record(
        actor=sender,
        action="member.contact",
        target=profile,
        data={"message": message.pk, "allow_reply": allow_reply},
    )
    return message
