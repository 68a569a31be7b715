"""Writes for directory entries."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.text import slugify

from qcommunity.audit.services import audit_record

from .enums import Region, Visibility
from .models import Profile

SEARCH_REFRESH_SQL = """
UPDATE members_profile AS p SET
  sort_name = lower(coalesce(nullif(u.full_name, ''), u.preferred_name, '')),
  search_names = lower(trim(u.full_name || ' ' || u.preferred_name)),
  name_codes = ARRAY(
    SELECT DISTINCT soundex(w) FROM regexp_split_to_table(
      lower(u.full_name || ' ' || u.preferred_name), '[^[:alpha:]]+') AS w
    WHERE w <> ''),
  search_vector =
    setweight(to_tsvector('english', u.full_name || ' ' || u.preferred_name), 'A') ||
    setweight(to_tsvector('english', p.job_title || ' ' || p.organisation), 'B') ||
    setweight(to_tsvector('english', coalesce((
        SELECT string_agg(t.name, ' ') FROM members_profile_topics pt
        JOIN members_topic t ON t.id = pt.topic_id WHERE pt.profile_id = p.id), '') || ' ' ||
      coalesce((
        SELECT string_agg(a.name, ' ') FROM members_profile_approaches pa
        JOIN members_approach a ON a.id = pa.approach_id WHERE pa.profile_id = p.id), '')
    ), 'B') ||
    setweight(to_tsvector('english', p.working_on), 'C')
FROM accounts_user AS u
WHERE u.id = p.user_id AND p.id = ANY(%s)
"""


def profile_refresh_search(*, profile_ids: list[int]) -> None:
    """Recompute the search columns of these profiles from their current data, in one statement.
    Call after any change to names, job, organisation, topics, approaches or "working on"."""
    if profile_ids:
        with connection.cursor() as cursor:
            cursor.execute(SEARCH_REFRESH_SQL, [list(profile_ids)])


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


def profile_confirm_up_to_date(*, profile: Profile, actor) -> Profile:
    profile.confirmed_at = timezone.now()
    profile.save(update_fields=["confirmed_at"])
    return profile
