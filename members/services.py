"""Writes for directory entries."""

import datetime as dt
import json
import random
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.outbox.services import email_queue_template

from .coffee import Candidate, pair_members
from .directory_cache import directory_changed
from .enums import Visibility
from .export import directory_entry_path
from .models import CoffeePairing, ContactMessage, Profile
from .selectors import profile_takes_messages
from .selectors_coffee import coffee_taking_part

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
    """Store an already checked and re-encoded photo (see `members.photos.photo_prepare`) and
    delete the one it replaces once the change has committed."""
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
                reverse("profiles:profile-detail", kwargs={"slug": sender_slug})
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


# Staff export and random coffee ---------------------------------------------------------------


def directory_export_record(*, actor, filters: dict, row_count: int) -> None:
    """Log a staff export of the directory: who, when, with which filters and how many rows."""
    audit_record(
        actor=actor, action="directory.export", data={"filters": filters, "rows": row_count}
    )


# Any fixed number works: it names the lock that lets only one pairing run go at a time.
COFFEE_RUN_LOCK = 31_003
COFFEE_NO_REPEAT_MONTHS = 6


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def months_before(month: dt.date, months: int) -> dt.date:
    index = month.year * 12 + month.month - 1 - months
    return dt.date(index // 12, index % 12 + 1, 1)


def member_name(user) -> str:
    """A person's name for other members; never derived from their email address."""
    return user.full_name or user.preferred_name or "A Q member"


@transaction.atomic
def coffee_set_opt_in(*, user, opt_in: bool, actor) -> Profile:
    """Join or leave random coffee. Creates the member's (hidden) entry if they have none, since
    the choice lives on it. Opting out takes effect from the next monthly run; pairings
    already made stay in the member's history."""
    profile = Profile.objects.filter(user=user).first() or profile_create(user=user, actor=actor)
    if profile.coffee_opt_in != opt_in:
        profile.coffee_opt_in = opt_in
        profile.save(update_fields=["coffee_opt_in"])
        audit_record(
            actor=actor, action="coffee.opt_in" if opt_in else "coffee.opt_out", target=profile
        )
    return profile


@transaction.atomic
def coffee_run_month(
    *, month: dt.date, actor=None, rng: random.Random | None = None
) -> list[CoffeePairing]:
    """Pair the members who have opted in to random coffee for `month` (any day of it) and queue
    an introduction email to each person paired.

    Rules: only active members who opted in; never someone already paired this month (so a
    second run pairs only people who joined since, and running twice is safe); never a pair
    that met in the last six months; different regions and role types preferred; at most one
    person left unpaired whenever the six-month rule allows it (see `members.coffee`). Runs
    are serialised by a transaction-level advisory lock. The outbox rows are written in the same
    transaction as the pairings and sent only after it commits. Audited as `coffee.run` (with
    the staff member who ran it, if one did)."""
    return _coffee_run(month=month, actor=actor, rng=rng).pairings


@dataclass(frozen=True)
class CoffeeRun:
    month: dt.date
    pairings: list[CoffeePairing]
    unpaired: int


@transaction.atomic
def coffee_run_now(*, actor, today: dt.date | None = None) -> CoffeeRun:
    """Staff's "Run a round now": this month's run, exactly as the monthly task does it (the
    rules of `coffee_run_month`, so repeating it pairs only people not yet paired this month),
    recorded in the audit log with `actor`. Returns what it did, for the page to say."""
    return _coffee_run(month=today or timezone.localdate(), actor=actor, rng=None)


def _coffee_run(*, month: dt.date, actor, rng: random.Random | None) -> CoffeeRun:
    month = month_start(month)
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_advisory_xact_lock(%s)", [COFFEE_RUN_LOCK])
    this_month = CoffeePairing.objects.filter(month=month)
    already = {uid for pair in this_month.values_list("member_a", "member_b") for uid in pair}
    candidates = [
        Candidate(user_id=uid, region=region, role_types=frozenset(roles))
        for uid, region, roles in coffee_taking_part()
        .exclude(user_id__in=already)
        .order_by("user_id")
        .values_list("user_id", "region", "role_types")
    ]
    recent = CoffeePairing.objects.filter(
        month__gte=months_before(month, COFFEE_NO_REPEAT_MONTHS),
        month__lte=month,
        member_a__in=[c.user_id for c in candidates],
    ).values_list("member_a", "member_b")
    result = pair_members(candidates, set(recent), rng or random.SystemRandom())
    pairings = CoffeePairing.objects.bulk_create(
        CoffeePairing(month=month, member_a_id=a, member_b_id=b) for a, b in result.pairs
    )
    _coffee_queue_introductions(pairings)
    audit_record(
        actor=actor,
        action="coffee.run",
        data={
            "month": month.isoformat(),
            "pairs": len(pairings),
            "unpaired": len(result.unpaired),
        },
    )
    return CoffeeRun(month=month, pairings=pairings, unpaired=len(result.unpaired))


def _coffee_queue_introductions(pairings: list[CoffeePairing]) -> None:
    ids = [uid for p in pairings for uid in (p.member_a_id, p.member_b_id)]
    profiles = {
        p.user_id: p for p in Profile.objects.select_related("user").filter(user_id__in=ids)
    }
    settings_url = settings.SITE_URL.rstrip("/") + reverse("coffee:settings")
    for pairing in pairings:
        for me, other in (
            (pairing.member_a_id, pairing.member_b_id),
            (pairing.member_b_id, pairing.member_a_id),
        ):
            mine, theirs = profiles[me], profiles[other]
            entry_url = ""
            if theirs.visibility in (Visibility.MEMBERS, Visibility.PUBLIC):
                entry_url = settings.SITE_URL.rstrip("/") + directory_entry_path(theirs.slug)
            message_url = settings.SITE_URL.rstrip("/") + reverse(
                "coffee:message", kwargs={"pk": pairing.pk}
            )
            email_queue_template(
                to=mine.user.email,
                kind="coffee_introduction",
                context={
                    "name": member_name(mine.user),
                    "month": month_label(pairing.month),
                    "other_name": member_name(theirs.user),
                    "other_job_title": theirs.job_title,
                    "other_organisation": theirs.organisation,
                    "other_about": coffee_partner_about(theirs.job_title, theirs.organisation),
                    "other_entry_url": entry_url,
                    "message_url": message_url,
                    "other_takes_messages": theirs.accepts_messages,
                    "you_take_messages": mine.accepts_messages,
                    "settings_url": settings_url,
                },
                related=pairing,
            )


def coffee_partner_about(job_title: str, organisation: str) -> str:
    """What the introduction puts in brackets after a partner's name, whatever the job title's
    wording: "Research fellow, Leeds Trust", "Leeds Trust", or nothing. (A sentence such as
    "is Research fellow at" reads wrongly for most job titles.)"""
    return ", ".join(part.strip() for part in (job_title, organisation) if part.strip())


def month_label(month: dt.date) -> str:
    return f"{month:%B %Y}"
