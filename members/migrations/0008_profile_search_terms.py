"""Directory search finds regions, role types and organisation types by name, and forgives typos
in organisations and topics as well as names: the trigram column `search_names` becomes
`search_terms` (names, organisation, topics, approaches and those labels), and every entry's
search columns are recomputed with the labels in the full-text vector too."""

import json

from django.contrib.postgres.indexes import GinIndex
from django.db import migrations

# The refresh as it stands at this migration (members.services.SEARCH_REFRESH_SQL may change
# later; a migration must keep doing what it did).
REFRESH_SQL = """
UPDATE members_profile AS p SET
  search_terms = lower(concat_ws(' ', x.full_name, x.preferred_name, p.organisation, x.topics,
    x.approaches, x.labels)),
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
  WHERE q.id > %(after)s AND q.id <= %(upto)s
) AS x
WHERE p.id = x.id
"""

REGIONS = {
    "scotland": "Scotland",
    "wales": "Wales",
    "northern_ireland": "Northern Ireland",
    "east_midlands": "East Midlands",
    "eastern": "Eastern",
    "greater_manchester": "Greater Manchester",
    "imperial": "Imperial College Health Partners",
    "kent_surrey_sussex": "Kent Surrey Sussex",
    "north_east_north_cumbria": "North East and North Cumbria",
    "north_west_coast": "North West Coast",
    "oxford": "Oxford",
    "south_london": "South London (Health Innovation Network)",
    "south_west": "South West",
    "uclpartners": "UCLPartners",
    "wessex": "Wessex",
    "west_midlands": "West Midlands",
    "west_of_england": "West of England",
    "yorkshire_humber": "Yorkshire & Humber",
}
ROLE_TYPES = {
    "frontline": "Frontline staff",
    "manager": "Manager",
    "researcher": "Researcher",
    "patient_leader": "Patient leader",
    "policy_maker": "Policy maker",
    "educator": "Educator",
    "other": "Other",
}
ORGANISATION_TYPES = {
    "acute": "Acute (hospital) care",
    "primary_care": "Primary care",
    "community": "Community health services",
    "mental_health": "Mental health",
    "ambulance": "Ambulance service",
    "integrated_care": "Integrated care",
    "commissioning": "Commissioning",
    "local_authority": "Local authority",
    "voluntary": "Voluntary and community sector",
    "university": "University",
    "national_body": "National body",
    "royal_college": "Royal college",
    "patient_organisation": "Patient organisation",
    "private": "Private sector",
    "other": "Other",
}
CHUNK = 5000


def refresh(apps, schema_editor):
    """Recompute every entry's search columns, a chunk of ids at a time."""
    labels = {
        "regions": json.dumps(REGIONS),
        "role_types": json.dumps(ROLE_TYPES),
        "organisation_types": json.dumps(ORGANISATION_TYPES),
    }
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM members_profile")
        (last,) = cursor.fetchone()
        for after in range(0, last, CHUNK):
            cursor.execute(REFRESH_SQL, {"after": after, "upto": after + CHUNK, **labels})


class Migration(migrations.Migration):
    dependencies = [
        ("members", "0007_profile_accepts_messages"),
    ]

    # The trigram index is dropped while every row is rewritten and built once afterwards.
    operations = [
        migrations.RemoveIndex(model_name="profile", name="profile_search_names_trgm"),
        migrations.RenameField(
            model_name="profile", old_name="search_names", new_name="search_terms"
        ),
        migrations.RunPython(refresh, migrations.RunPython.noop, elidable=True),
        migrations.AddIndex(
            model_name="profile",
            index=GinIndex(
                fields=["search_terms"],
                name="profile_search_terms_trgm",
                opclasses=["gin_trgm_ops"],
            ),
        ),
    ]
