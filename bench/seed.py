"""Seed a benchmark database with many invented users, fast.

    python -m bench.seed --users 100000 --database qcommunity_bench

Creates the database if it is missing, migrates it, and seeds it unless a marker says it already
holds the same number of users. Rows go in with PostgreSQL COPY and explicit ids (no round trip
per row), every user shares ONE unusable password hash, and the search columns are filled by the
same set-based UPDATE the app uses (`profile_refresh_search`), in chunks. Prints a JSON summary
on the last line of output, including the slug of a public entry to benchmark.

Then the Q Exchange rows (`bench.seed_exchange`): one round with 2,000 proposals and one
proposal with 300 comments; the summary's "exchange" gives the round's year and that proposal's
slug for the pages `make bench` measures.
"""

import argparse
import datetime as dt
import json
import os
import random
import sys
import time
from collections import Counter
from pathlib import Path

from bench.seed_exchange import ensure_exchange_seeded
from qcommunity.settings.env import private_postgres_dir

SEED = 20260402
PROFILE_SHARE = 0.6
# Of users with an entry: public, members only, hidden.
VISIBILITY_SHARES = (("public", 0.60), ("members", 0.25), ("hidden", 0.15))
REFRESH_CHUNK = 5000
MARKER_TABLE = "bench_seed_marker"
PG_SOCKET_DIR = private_postgres_dir(Path(__file__).resolve().parent.parent / ".run")


def _visibility(rng: random.Random) -> str:
    roll, total = rng.random(), 0.0
    for name, share in VISIBILITY_SHARES:
        total += share
        if roll < total:
            return name
    return VISIBILITY_SHARES[-1][0]


def seed_users(count: int, *, seed: int = SEED) -> dict:
    """Insert `count` users, 60% of them with directory entries, into the current database
    (Django's default connection). Adds to whatever is there; ids continue after the largest."""
    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone
    from django.utils.text import slugify

    from members.demo.directory import PersonGenerator, taxonomy_terms
    from members.directory.services import profile_refresh_search
    from qcommunity.core.taxonomy import Region

    rng = random.Random(seed)  # noqa: S311 (reproducible made-up data, not secrets)
    generator = PersonGenerator(rng, taxonomy_terms())
    now = timezone.now()
    password = make_password(None)
    nations = {region.value: region.nation.value for region in Region}
    visibility_counts: Counter[str] = Counter()
    profile_ids: list[int] = []

    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SELECT coalesce(max(id), 0) FROM accounts_user")
        first_user = cursor.fetchone()[0] + 1
        cursor.execute("SELECT coalesce(max(id), 0) FROM members_profile")
        next_profile = cursor.fetchone()[0] + 1
        users, roles, profiles = [], [], []
        through = {"topics": [], "approaches": [], "offers": []}
        for n in range(count):
            user_id = first_user + n
            joined = now - dt.timedelta(days=rng.randint(0, 5 * 365), seconds=rng.randint(0, 86399))
            has_entry = rng.random() < PROFILE_SHARE
            person = generator.person(n, working_on_share=0.5)
            users.append(
                (
                    user_id,
                    password,
                    f"member{user_id}@bench.q.example",
                    person.full_name,
                    person.first_name,
                    joined,
                )
            )
            if has_entry or rng.random() < 0.5:
                roles.append((user_id, joined))
            if not has_entry:
                continue
            profile_id = next_profile
            next_profile += 1
            profile_ids.append(profile_id)
            visibility = _visibility(rng)
            visibility_counts[visibility] += 1
            confirmed = min(now, joined + dt.timedelta(days=rng.randint(0, 5 * 365)))
            published = joined + (confirmed - joined) / 2 if visibility != "hidden" else None
            profiles.append(
                (
                    profile_id,
                    user_id,
                    f"{slugify(person.full_name)}-{user_id}",
                    person.pronouns,
                    person.job_title,
                    person.organisation,
                    person.organisation_type,
                    person.role_types,
                    person.region,
                    nations[person.region],
                    person.working_on,
                    visibility,
                    person.coffee_opt_in,
                    confirmed,
                    published,
                    joined,
                    confirmed,
                )
            )
            for kind, rows in through.items():
                rows.extend((profile_id, pk) for pk in getattr(person, kind))

        generated = time.monotonic()
        _copy(
            cursor,
            "accounts_user (id, password, email, full_name, preferred_name, date_joined, "
            "is_superuser, is_staff, is_active)",
            ((*row, False, False, True) for row in users),
        )
        _copy(
            cursor,
            "accounts_userrole (user_id, granted_at, role)",
            ((*row, "member") for row in roles),
        )
        _copy(
            cursor,
            "members_profile (id, user_id, slug, pronouns, job_title, organisation, "
            "organisation_type, role_types, region, nation, working_on, visibility, "
            "coffee_opt_in, confirmed_at, published_at, created_at, updated_at, links, photo, "
            "sort_name, search_terms, name_codes)",
            ((*row, "[]", "", "", "", []) for row in profiles),
        )
        for kind, column in (("topics", "topic"), ("approaches", "approach"), ("offers", "offer")):
            _copy(cursor, f"members_profile_{kind} (profile_id, {column}_id)", through[kind])
        for table in ("accounts_user", "members_profile"):
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "  # noqa: S608
                f"(SELECT max(id) FROM {table}))"
            )
        copied = time.monotonic()
        for start in range(0, len(profile_ids), REFRESH_CHUNK):
            profile_refresh_search(profile_ids=profile_ids[start : start + REFRESH_CHUNK])
    done = time.monotonic()
    return {
        "users": count,
        "profiles": len(profile_ids),
        "visibility": dict(visibility_counts),
        "topic_links": len(through["topics"]),
        "approach_links": len(through["approaches"]),
        "offer_links": len(through["offers"]),
        "seconds": {
            "generate": round(generated - started, 1),
            "copy": round(copied - generated, 1),
            "search_columns": round(done - copied, 1),
        },
    }


def _copy(cursor, target: str, rows) -> None:
    with cursor.copy(f"COPY {target} FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def ensure_seeded(count: int, *, seed: int = SEED) -> dict:
    """Seed unless the marker says this database already holds `count` benchmark users; when it
    holds some other number (or a half-finished seeding), empty the user tables first."""
    from django.db import connection, transaction

    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {MARKER_TABLE} "
            "(users integer NOT NULL, seed integer NOT NULL, summary jsonb NOT NULL, "
            "seeded_at timestamptz NOT NULL DEFAULT now())"
        )
        cursor.execute(f"SELECT users, seed, summary FROM {MARKER_TABLE}")  # noqa: S608
        row = cursor.fetchone()
    if row and row[0] == count and row[1] == seed:
        summary = json.loads(row[2]) if isinstance(row[2], str) else row[2]
        return {**summary, "reused": True}
    started = time.monotonic()
    with transaction.atomic(), connection.cursor() as cursor:
        # Checks deferred from earlier writes in this transaction would block TRUNCATE.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"TRUNCATE accounts_user, {MARKER_TABLE} RESTART IDENTITY CASCADE")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        summary = seed_users(count, seed=seed)
        summary["seed_seconds"] = round(time.monotonic() - started, 1)
        cursor.execute(
            f"INSERT INTO {MARKER_TABLE} (users, seed, summary) VALUES (%s, %s, %s)",  # noqa: S608
            [count, seed, json.dumps(summary)],
        )
    return {**summary, "reused": False}


def public_profile_slug() -> str | None:
    from members.directory.models import Profile

    return (
        Profile.objects.filter(visibility="public", user__is_active=True)
        .order_by("id")
        .values_list("slug", flat=True)
        .first()
    )


def ensure_database(name: str) -> bool:
    """Create database `name` in the checkout's private cluster if it is missing."""
    import psycopg
    from psycopg import sql

    with psycopg.connect(
        host=str(PG_SOCKET_DIR), user="postgres", dbname="postgres", autocommit=True
    ) as admin:
        if admin.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument("--database", default="qcommunity_bench")
    parser.add_argument("--exchange-proposals", type=int, default=2000)
    parser.add_argument("--exchange-comments", type=int, default=300)
    args = parser.parse_args(argv)

    # Before Django reads its settings: they pick the database from the environment.
    os.environ["PGDATABASE"] = args.database
    os.environ.pop("DATABASE_URL", None)
    created = ensure_database(args.database)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    if connection.settings_dict["NAME"] != args.database:
        raise SystemExit(f"Django would use {connection.settings_dict['NAME']}, not the bench DB")

    call_command("migrate", verbosity=0, interactive=False)
    summary = ensure_seeded(args.users)
    exchange = ensure_exchange_seeded(args.exchange_proposals, args.exchange_comments)
    summary["exchange"] = exchange
    if not summary["reused"] or not exchange["reused"]:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    summary |= {"database": args.database, "created": created, "slug": public_profile_slug()}
    print(json.dumps(summary))  # noqa: T201
    return 0


if __name__ == "__main__":
    sys.exit(main())
