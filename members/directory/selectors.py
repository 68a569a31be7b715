"""Reads of directory entries. Every query that shows profiles starts from
`profiles_visible_to`, so hidden entries never reach anyone but their owner and staff."""

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.http import Http404
from django.utils import timezone

from qcommunity.accounts.enums import Role

from .enums import Visibility
from .models import Approach, ContactMessage, Offer, Profile, Topic


def visibilities_for(user) -> list[str] | None:
    """The visibilities `user` may see in lists; None means every entry (staff)."""
    if user.is_authenticated and user.has_role(Role.STAFF_ADMIN):
        return None
    if user.is_authenticated and user.has_role(Role.MEMBER):
        return [Visibility.PUBLIC, Visibility.MEMBERS]
    return [Visibility.PUBLIC]


def profiles_visible_to(user) -> QuerySet[Profile]:
    """Entries `user` may see: public ones for everyone, members-only ones for members, all for
    staff, and always the user's own."""
    # NOT IN over the few deactivated accounts (a partial index) rather than a join to every
    # user row: the COUNT of a large result stays on members_profile alone.
    qs = Profile.objects.exclude(
        user_id__in=get_user_model().objects.filter(is_active=False).values("pk")
    )
    allowed = visibilities_for(user)
    if allowed is None:
        return qs
    condition = Q(visibility__in=allowed)
    if user.is_authenticated:
        condition |= Q(user_id=user.pk)
    return qs.filter(condition)


def profile_search(qs: QuerySet[Profile], text: str) -> QuerySet[Profile]:
    """Full-text search over names, job, organisation, topics, approaches, region, role type,
    organisation type and "working on"; sound-alike matching on names; and trigram matching on
    names, organisation, topics, approaches and those labels, so that "Jonh Smiht", "Wesex" or
    "Northshre Trust" still find what was meant. Annotates `rank`. Each condition has its own
    GIN index (search_vector, name_codes, search_terms)."""
    text = " ".join(text.split())[:200]
    if not text:
        return qs
    query = SearchQuery(text, config="english", search_type="websearch")
    sounds_like = RawSQL(
        "ARRAY(SELECT DISTINCT soundex(w) FROM regexp_split_to_table(lower(%s), "
        "'[^[:alpha:]]+') AS w WHERE w <> '')::varchar(4)[]",
        [text],
    )
    return qs.filter(
        Q(search_vector=query)
        | Q(name_codes__contains=sounds_like)
        | Q(search_terms__trigram_word_similar=text.lower())
    ).annotate(rank=SearchRank(F("search_vector"), query))


def profile_get_for_viewer(*, user, slug: str) -> Profile:
    """The profile at `slug` if `user` may see it; 404 otherwise, so hidden entries do not leak."""
    profile = (
        profiles_visible_to(user)
        .select_related("user")
        .prefetch_related("topics", "approaches", "offers")
        .filter(slug=slug)
        .first()
    )
    if profile is None:
        raise Http404
    return profile


def profile_takes_messages(profile: Profile) -> bool:
    """Whether the relay may pass a message to the member who owns `profile` (their choice, and
    an open account). Pages say only "not taking messages", never which."""
    return profile.accepts_messages and profile.user.is_active


def contact_reply_route(*, sender, profile: Profile) -> str:
    """How the recipient of `sender`'s latest message to `profile` can answer it, as the email
    they got tells them: "email" (the sender let them reply to their address), "entry" (through
    "Contact this member" on the sender's published entry) or "none" (neither, until the sender
    publishes their entry). "none" too when there is no such message."""
    allow_reply = (
        ContactMessage.objects.filter(sender=sender, recipient=profile)
        .order_by("-created_at", "-pk")
        .values_list("allow_reply", flat=True)
        .first()
    )
    if allow_reply:
        return "email"
    if (
        allow_reply is not None
        and Profile.objects.filter(user=sender).exclude(visibility=Visibility.HIDDEN).exists()
    ):
        return "entry"
    return "none"


CONFIRM_AFTER = dt.timedelta(days=365)


def profile_needing_confirmation(user) -> Profile | None:
    """The member's own entry if they should be asked to check it: last confirmed more than 12
    months ago, or never confirmed although it is published. None otherwise (and for visitors)."""
    if not (user.is_authenticated and user.has_role(Role.MEMBER)):
        return None
    cutoff = timezone.now() - CONFIRM_AFTER
    return (
        Profile.objects.filter(user=user)
        .filter(
            Q(confirmed_at__lt=cutoff)
            | (Q(confirmed_at__isnull=True) & ~Q(visibility=Visibility.HIDDEN))
        )
        .only("id", "slug", "confirmed_at", "visibility")
        .first()
    )


def profile_get_own(user) -> Profile | None:
    """The user's own entry with everything its edit page and preview show, or None."""
    return (
        Profile.objects.filter(user=user)
        .select_related("user")
        .prefetch_related("topics", "approaches", "offers")
        .first()
    )


# Terms by directory version, in this process: the version changes whenever a term does, so an
# entry here is never stale, and the search page needs no cache round trip for its filters.
_TERMS_BY_VERSION: dict[str, dict] = {}


def taxonomy_terms(version: str | None = None) -> dict[str, list[tuple[int, str, str]]]:
    """Every topic, approach and offer as (id, slug, name), by name: the directory filters'
    choices. With a directory version (members.directory.cache) the answer is kept in this
    process until a term or entry changes; without one it is read from the database."""
    if version and (known := _TERMS_BY_VERSION.get(version)) is not None:
        return known
    terms = {
        name: list(model.objects.order_by("name").values_list("id", "slug", "name"))
        for name, model in (("topic", Topic), ("approach", Approach), ("offer", Offer))
    }
    if version:
        _TERMS_BY_VERSION.clear()  # only the current version is ever asked for again
        _TERMS_BY_VERSION[version] = terms
    return terms


def members_matching_segment(user_ref, regions, role_types, topic_ids) -> Exists:
    """For the newsletter's segments (`qcommunity.newsletters.issues.audience`): true when the
    account `user_ref` has a directory entry in any of `regions`, with any of `role_types` and
    any of `topic_ids`; an empty list does not restrict."""
    profiles = Profile.objects.filter(user_id=user_ref)
    if regions:
        profiles = profiles.filter(region__in=regions)
    if role_types:
        profiles = profiles.filter(role_types__overlap=role_types)
    if topic_ids:
        profiles = profiles.filter(
            Exists(
                Profile.topics.through.objects.filter(
                    profile_id=OuterRef("pk"), topic_id__in=topic_ids
                )
            )
        )
    return Exists(profiles)
