"""Demo directory: about 300 invented members across every region, for local development.

Everyone here is made up. People are generated from the word lists below with a fixed random
seed, so each run produces the same people; `seed_directory` is idempotent (keyed by email) and
refuses production settings. The same generator feeds the benchmark seeding in `bench/`.
About one entry in five has a photo (initials on a coloured square, drawn here), as does the
demo member's. The demo member takes part in random coffee, and `seed_coffee` pairs last
month's people once, the demo member among them, so their coffee page has a partner to message.
"""

import datetime as dt
import io
import itertools
import random
import zlib
from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from PIL import Image, ImageDraw, ImageFont

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User, UserRole
from qcommunity.core.demo import refuse_in_production
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType

from ..coffee.models import CoffeePairing
from ..coffee.services import coffee_run_month, coffee_set_opt_in, months_before
from ..directory.enums import Visibility
from ..directory.models import Approach, Offer, Profile, Topic
from ..directory.photos import photo_prepare
from ..directory.services import (
    profile_create,
    profile_refresh_search,
    profile_set_photo,
    profile_set_visibility,
    profile_update,
)

DEMO_DIRECTORY_SIZE = 300
DEMO_SEED = 20260401
DEMO_EMAIL_DOMAIN = "demo.q.example"
DEMO_MEMBER_EMAIL = f"member@{DEMO_EMAIL_DOMAIN}"
# One directory entry in this many has a photo: the 5th, 10th, 15th... person.
DEMO_PHOTO_EVERY = 5
# The colours of the photos' squares (NHS blues, green, purple, warm yellow, dark pink, grey).
PHOTO_COLOURS = (
    (0, 94, 184), (0, 48, 135), (0, 114, 198), (0, 150, 57), (51, 0, 114), (237, 139, 0),
    (174, 37, 115), (66, 84, 98),
)  # fmt: skip
COFFEE_SEED = 20260601

FIRST_NAMES = (
    "Aisha", "Alastair", "Amara", "Angharad", "Arjun", "Beth", "Bronwen", "Callum", "Carys",
    "Chidi", "Ciara", "Colm", "Daniel", "Deepa", "Declan", "Eilidh", "Emeka", "Eleanor", "Fiona",
    "Funmi", "Gareth", "Grace", "Hamish", "Harriet", "Hassan", "Iona", "Imran", "Isla", "Jamal",
    "Joanne", "Kamala", "Kieran", "Laura", "Lowri", "Mairead", "Marcus", "Meera", "Morag",
    "Nadia", "Niamh", "Oliver", "Olu", "Rachel", "Rhys", "Rohan", "Ruth", "Saoirse", "Shona",
    "Siobhan", "Simon", "Sunita", "Tariq", "Tegan", "Thomas", "Una", "Vikram", "Wen", "Yusuf",
    "Zainab", "Zoe",
)  # fmt: skip
LAST_NAMES = (
    "Adeyemi", "Ahmed", "Armstrong", "Bailey", "Bhatt", "Brennan", "Campbell", "Chowdhury",
    "Clarke", "Davies", "Doherty", "Edwards", "Evans", "Fraser", "Gallagher", "Gill", "Griffiths",
    "Hall", "Hughes", "Hussain", "Iqbal", "Jenkins", "Kaur", "Kelly", "Khan", "Lewis", "Lloyd",
    "MacDonald", "McAllister", "McLaughlin", "Mensah", "Morgan", "Murray", "Nwosu", "O'Neill",
    "Okoro", "Owen", "Patel", "Price", "Quinn", "Rahman", "Reid", "Roberts", "Robertson",
    "Shah", "Sharma", "Singh", "Stewart", "Sutherland", "Taylor", "Thomas", "Thomson", "Walsh",
    "Watson", "Williams", "Wilson", "Wright", "Yeung", "Young", "Zhang",
)  # fmt: skip

# Invented places, two or three for each region, used to name invented organisations.
PLACES = {
    Region.SCOTLAND: ("Glenmorven", "Strathcarrick", "Kilbrannan"),
    Region.WALES: ("Cwm Tawel", "Llanfadog", "Pen-y-Bryn"),
    Region.NORTHERN_IRELAND: ("Ballykerran", "Lough Meran"),
    Region.EAST_MIDLANDS: ("Trentvale", "Derwent Moor"),
    Region.EASTERN: ("Fenmarsh", "Wensum Vale"),
    Region.GREATER_MANCHESTER: ("Irwell Bridge", "Pennine Edge"),
    Region.IMPERIAL: ("West Thameside", "Colnebrook Vale"),
    Region.KENT_SURREY_SUSSEX: ("Wealdbury", "Downsmere"),
    Region.NORTH_EAST_NORTH_CUMBRIA: ("Tyneholm", "Eden Fell"),
    Region.NORTH_WEST_COAST: ("Ribblemouth", "Lunebank"),
    Region.OXFORD: ("Cherwell Vale", "Chilternbury"),
    Region.SOUTH_LONDON: ("Thames South", "Wandlebury"),
    Region.SOUTH_WEST: ("Tamar Vale", "Dartcombe"),
    Region.UCLPARTNERS: ("Leabridge", "Hertmoor"),
    Region.WESSEX: ("Solent Reach", "Avonbury"),
    Region.WEST_MIDLANDS: ("Severnmere", "Arden Heath"),
    Region.WEST_OF_ENGLAND: ("Mendip Reach", "Kingswood Vale"),
    Region.YORKSHIRE_HUMBER: ("Humberdale", "Calder Moor"),
}

ORGANISATION_NAMES = {
    OrganisationType.ACUTE: "{place} Hospitals NHS Foundation Trust",
    OrganisationType.PRIMARY_CARE: "{place} Primary Care Network",
    OrganisationType.COMMUNITY: "{place} Community Health Services",
    OrganisationType.MENTAL_HEALTH: "{place} Mental Health NHS Trust",
    OrganisationType.AMBULANCE: "{place} Ambulance Service",
    OrganisationType.INTEGRATED_CARE: "{place} Integrated Care Board",
    OrganisationType.COMMISSIONING: "{place} Commissioning Support Unit",
    OrganisationType.LOCAL_AUTHORITY: "{place} Council",
    OrganisationType.VOLUNTARY: "{place} Carers Network",
    OrganisationType.UNIVERSITY: "University of {place}",
    OrganisationType.NATIONAL_BODY: "National Centre for Care Quality",
    OrganisationType.ROYAL_COLLEGE: "Royal College of Improvement Practice",
    OrganisationType.PATIENT_ORGANISATION: "{place} Patient Voice",
    OrganisationType.PRIVATE: "{place} Health Analytics Ltd",
    OrganisationType.OTHER: "{place} Housing Association",
}
ORGANISATION_WEIGHTS = {
    OrganisationType.ACUTE: 30,
    OrganisationType.PRIMARY_CARE: 14,
    OrganisationType.COMMUNITY: 9,
    OrganisationType.MENTAL_HEALTH: 10,
    OrganisationType.AMBULANCE: 4,
    OrganisationType.INTEGRATED_CARE: 7,
    OrganisationType.COMMISSIONING: 3,
    OrganisationType.LOCAL_AUTHORITY: 4,
    OrganisationType.VOLUNTARY: 4,
    OrganisationType.UNIVERSITY: 6,
    OrganisationType.NATIONAL_BODY: 2,
    OrganisationType.ROYAL_COLLEGE: 1,
    OrganisationType.PATIENT_ORGANISATION: 3,
    OrganisationType.PRIVATE: 2,
    OrganisationType.OTHER: 1,
}

JOB_TITLES = {
    RoleType.FRONTLINE: (
        "Staff nurse", "Ward sister", "Consultant physician", "GP partner", "Paramedic",
        "Clinical pharmacist", "Physiotherapist", "Midwife", "Occupational therapist",
        "Mental health nurse", "Speech and language therapist", "Healthcare assistant",
    ),
    RoleType.MANAGER: (
        "Quality improvement lead", "Head of improvement", "Service manager",
        "Operations manager", "Programme manager", "Deputy director of quality",
        "Clinical director",
    ),
    RoleType.RESEARCHER: (
        "Research fellow", "Senior lecturer in health services research", "Improvement scientist",
        "Evaluation lead", "Data scientist",
    ),
    RoleType.PATIENT_LEADER: (
        "Patient partner", "Lived experience adviser", "Carer representative",
        "Patient safety partner",
    ),
    RoleType.POLICY_MAKER: ("Policy adviser", "Senior policy lead", "Head of strategy"),
    RoleType.EDUCATOR: (
        "Improvement coach", "Clinical educator", "Practice development facilitator",
        "Lecturer in nursing",
    ),
    RoleType.OTHER: ("Improvement analyst", "Communications lead", "Project officer"),
}  # fmt: skip
ROLE_WEIGHTS = {
    RoleType.FRONTLINE: 30,
    RoleType.MANAGER: 25,
    RoleType.RESEARCHER: 10,
    RoleType.PATIENT_LEADER: 8,
    RoleType.POLICY_MAKER: 5,
    RoleType.EDUCATOR: 12,
    RoleType.OTHER: 5,
}

WORKING_ON = (
    "Using {approach} to improve {topic} across our wards. We started with one team and are "
    "now spreading the changes to three more.",
    "Leading a two-year programme on {topic}, with {approach} at its heart. Happy to share "
    "what has worked and what has not.",
    "Co-leading a collaborative of five teams on {topic}. We meet monthly and track our "
    "measures on run charts.",
    "Evaluating a project on {topic} that used {approach}. The write-up is due later this year.",
    "Just starting out with {approach} and looking for people who have tried it on {topic}.",
    "Building a dashboard so that teams working on {topic} can see their own data every week.",
    "Working with patients and carers to redesign our work on {topic}.",
    "Teaching {approach} to new improvement coaches, each with a real project on {topic}.",
    "Bringing {approach} into our board's quality reports, starting with {topic}.",
    "Testing small changes on {topic} with **{approach}**:\n\n- one ward\n- one measure\n"
    "- one change a fortnight",
)
PRONOUNS = ("she/her", "he/him", "they/them")


@dataclass
class Person:
    """One invented member: everything needed to write a user and a directory entry."""

    first_name: str
    last_name: str
    region: str
    organisation_type: str
    organisation: str
    role_types: list[str]
    job_title: str
    pronouns: str
    topics: list[int] = field(default_factory=list)
    approaches: list[int] = field(default_factory=list)
    offers: list[int] = field(default_factory=list)
    working_on: str = ""
    coffee_opt_in: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def _lower_first(name: str) -> str:
    return name[:1].lower() + name[1:] if name[1:2].islower() else name


class PersonGenerator:
    """Invents people from the lists above. `terms` maps "topics", "approaches" and "offers" to
    lists of (id, name); popularity falls off with position, so a few topics are common and
    the rest are rarer, as in a real membership."""

    def __init__(self, rng: random.Random, terms: dict[str, list[tuple[int, str]]]):
        self.rng = rng
        self.terms = {}
        for kind, given in terms.items():
            items = sorted(given, key=lambda item: item[1])
            random.Random(f"{DEMO_SEED}-{kind}").shuffle(items)  # noqa: S311 (made-up data)
            weights = list(itertools.accumulate(1 / (rank + 2) for rank in range(len(items))))
            self.terms[kind] = (items, weights)
        self.regions = list(Region)
        self.org_types = list(ORGANISATION_WEIGHTS)
        self.org_weights = list(itertools.accumulate(ORGANISATION_WEIGHTS.values()))
        self.role_types = list(ROLE_WEIGHTS)
        self.role_weights = list(itertools.accumulate(ROLE_WEIGHTS.values()))

    def _pick_terms(self, kind: str, low: int, high: int) -> list[tuple[int, str]]:
        items, weights = self.terms[kind]
        wanted = min(self.rng.randint(low, high), len(items))
        chosen: dict[int, tuple[int, str]] = {}
        while len(chosen) < wanted:
            item = self.rng.choices(items, cum_weights=weights)[0]
            chosen[item[0]] = item
        return list(chosen.values())

    def person(self, n: int, *, working_on_share: float = 0.7) -> Person:
        rng = self.rng
        # The first 18 people cover every region; the rest are spread at random.
        region = self.regions[n] if n < len(self.regions) else rng.choice(self.regions)
        org_type = rng.choices(self.org_types, cum_weights=self.org_weights)[0]
        roles = [rng.choices(self.role_types, cum_weights=self.role_weights)[0]]
        if rng.random() < 0.25:
            second = rng.choices(self.role_types, cum_weights=self.role_weights)[0]
            if second != roles[0]:
                roles.append(second)
        topics = self._pick_terms("topics", 1, 5)
        approaches = self._pick_terms("approaches", 1, 3)
        offers = self._pick_terms("offers", 0, 3)
        working_on = ""
        if rng.random() < working_on_share:
            working_on = rng.choice(WORKING_ON).format(
                topic=_lower_first(topics[0][1]), approach=_lower_first(approaches[0][1])
            )
        return Person(
            first_name=rng.choice(FIRST_NAMES),
            last_name=rng.choice(LAST_NAMES),
            region=region.value,
            organisation_type=org_type.value,
            organisation=ORGANISATION_NAMES[org_type].format(place=rng.choice(PLACES[region])),
            role_types=[role.value for role in roles],
            job_title=rng.choice(JOB_TITLES[roles[0]]),
            pronouns=rng.choice(PRONOUNS) if rng.random() < 0.3 else "",
            topics=[pk for pk, _ in topics],
            approaches=[pk for pk, _ in approaches],
            offers=[pk for pk, _ in offers],
            working_on=working_on,
            coffee_opt_in=rng.random() < 0.3,
        )


def taxonomy_terms() -> dict[str, list[tuple[int, str]]]:
    return {
        "topics": list(Topic.objects.values_list("id", "name")),
        "approaches": list(Approach.objects.values_list("id", "name")),
        "offers": list(Offer.objects.values_list("id", "name")),
    }


def demo_email(person: Person, n: int) -> str:
    """firstname.lastname.N@demo.q.example, e.g. siobhan.oneill.42@demo.q.example."""
    return f"{slugify(person.first_name)}.{slugify(person.last_name)}.{n}@{DEMO_EMAIL_DOMAIN}"


def demo_visibility(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.7:
        return Visibility.PUBLIC
    if roll < 0.85:
        return Visibility.MEMBERS
    return Visibility.HIDDEN


def demo_photo(full_name: str, side: int = 240) -> bytes:
    """A made-up directory photo: the person's initials in white on a coloured square (PNG),
    the colour fixed by the name so each run draws the same picture."""
    initials = "".join(word[0] for word in full_name.split()[:2] if word).upper()
    colour = PHOTO_COLOURS[zlib.crc32(full_name.encode()) % len(PHOTO_COLOURS)]
    image = Image.new("RGB", (side, side), colour)
    draw = ImageDraw.Draw(image)
    font = ImageFont.load_default(size=side // 3)
    draw.text((side / 2, side / 2), initials, fill=(255, 255, 255), font=font, anchor="mm")
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def _give_photo(profile: Profile, user: User) -> Profile:
    """Through the same checks and service as a member's own upload."""
    upload = SimpleUploadedFile("photo.png", demo_photo(user.full_name), content_type="image/png")
    return profile_set_photo(profile=profile, photo=photo_prepare(upload), actor=user)


def _has_demo_photo(email: str) -> bool:
    number = email.split("@", maxsplit=1)[0].rsplit(".", 1)[-1]
    return number.isdigit() and int(number) % DEMO_PHOTO_EVERY == 0


@transaction.atomic
def seed_directory(count: int = DEMO_DIRECTORY_SIZE) -> int:
    """Create the demo members and their directory entries; returns how many were new.
    Idempotent: people whose email already exists are left exactly as they are."""
    refuse_in_production()
    rng = random.Random(DEMO_SEED)  # noqa: S311 (reproducible made-up data, not secrets)
    generator = PersonGenerator(rng, taxonomy_terms())
    now = timezone.now()
    planned = []
    for n in range(count):
        person = generator.person(n)
        visibility = demo_visibility(rng)
        confirmed = now - dt.timedelta(days=rng.randint(0, 730), minutes=rng.randint(0, 1439))
        created = confirmed - dt.timedelta(days=rng.randint(0, 365))
        planned.append((demo_email(person, n + 1), person, visibility, confirmed, created))

    existing = set(
        User.objects.filter(email__in=[email for email, *_ in planned]).values_list(
            "email", flat=True
        )
    )
    new = [row for row in planned if row[0] not in existing]
    if not new:
        return 0
    password = make_password(None)  # one unusable password for everyone: no sign-in as them
    users = User.objects.bulk_create(
        User(
            email=email,
            password=password,
            full_name=person.full_name,
            preferred_name=person.first_name,
            date_joined=created,
        )
        for email, person, _, _, created in new
    )
    UserRole.objects.bulk_create(
        [UserRole(user=user, role=Role.MEMBER, granted_at=user.date_joined) for user in users]
    )
    taken = set(Profile.objects.values_list("slug", flat=True))
    profiles = []
    for user, (email, person, visibility, confirmed, created) in zip(users, new, strict=True):
        slug = slugify(f"{person.full_name} {email.split('@')[0].rsplit('.', 1)[1]}")
        while slug in taken:
            slug += "-demo"
        taken.add(slug)
        published = visibility != Visibility.HIDDEN
        profiles.append(
            Profile(
                user=user,
                slug=slug,
                pronouns=person.pronouns,
                job_title=person.job_title,
                organisation=person.organisation,
                organisation_type=person.organisation_type,
                role_types=person.role_types,
                region=person.region,
                nation=Region(person.region).nation.value,
                working_on=person.working_on,
                visibility=visibility,
                coffee_opt_in=person.coffee_opt_in,
                confirmed_at=confirmed,
                published_at=created + (confirmed - created) / 2 if published else None,
                created_at=created,
                updated_at=confirmed,
            )
        )
    profiles = Profile.objects.bulk_create(profiles)
    for relation, attribute, column in (
        (Profile.topics, "topics", "topic_id"),
        (Profile.approaches, "approaches", "approach_id"),
        (Profile.offers, "offers", "offer_id"),
    ):
        through = relation.through
        through.objects.bulk_create(
            through(profile_id=profile.pk, **{column: pk})
            for profile, (_, person, *_) in zip(profiles, new, strict=True)
            for pk in getattr(person, attribute)
        )
    profile_refresh_search(profile_ids=[profile.pk for profile in profiles])
    for profile, user, (email, *_) in zip(profiles, users, new, strict=True):
        if _has_demo_photo(email):
            _give_photo(profile, user)
    return len(profiles)


DEMO_MEMBER_ENTRY = {
    "pronouns": "she/her",
    "job_title": "Quality improvement lead",
    "organisation": "Solent Reach Hospitals NHS Foundation Trust",
    "organisation_type": OrganisationType.ACUTE,
    "role_types": [RoleType.MANAGER, RoleType.FRONTLINE],
    "region": Region.WESSEX,
    "working_on": (
        "Reducing falls on our older people's wards with **Safety-II** and daily huddles. "
        "I would love to hear from anyone who has spread huddles beyond one ward."
    ),
}


@transaction.atomic
def seed_member_entry(user: User) -> Profile:
    """Give the demo member account a published entry with a photo, taking part in random
    coffee, once; later edits are kept."""
    refuse_in_production()
    profile = Profile.objects.filter(user=user).first()
    if profile is not None:
        return profile
    profile = profile_create(user=user, actor=user)
    profile = profile_update(
        profile=profile,
        actor=user,
        fields=DEMO_MEMBER_ENTRY,
        topics=Topic.objects.filter(name__in=["Patient safety", "Ageing and frailty"]),
        approaches=Approach.objects.filter(name__in=["Safety-II", "Measurement for improvement"]),
        offers=Offer.objects.filter(name__in=["Mentoring", "Hosting a visit"]),
    )
    profile = profile_set_visibility(profile=profile, visibility=Visibility.PUBLIC, actor=user)
    profile = _give_photo(profile, user)
    return coffee_set_opt_in(user=user, opt_in=True, actor=user)


@transaction.atomic
def seed_coffee(today: dt.date | None = None) -> int:
    """Last month's random coffee run, made once (only while nobody has ever been paired), with
    the demo member paired if they take part; returns how many pairs were made. The run is the
    real one (`coffee_run_month`, introductions queued in the outbox) with a fixed seed; if that
    seed would leave the demo member out or with a partner who takes no messages, the next seed
    is tried instead. Needs the demo directory and the demo member's entry first."""
    refuse_in_production()
    if CoffeePairing.objects.exists():
        return 0
    month = months_before((today or timezone.localdate()).replace(day=1), 1)
    member = Profile.objects.filter(user__email=DEMO_MEMBER_EMAIL, coffee_opt_in=True).first()
    for attempt in range(20):
        with transaction.atomic():
            rng = random.Random(COFFEE_SEED + attempt)  # noqa: S311 (reproducible made-up data)
            pairings = coffee_run_month(month=month, rng=rng)
            if member is None or _paired_with_a_messageable_partner(member, pairings):
                return len(pairings)
            transaction.set_rollback(True)
    raise RuntimeError("No demo coffee run paired the demo member with someone to message.")


def _paired_with_a_messageable_partner(member: Profile, pairings) -> bool:
    for pairing in pairings:
        ids = {pairing.member_a_id, pairing.member_b_id}
        if member.user_id in ids:
            (other,) = ids - {member.user_id}
            return Profile.objects.filter(user_id=other, accepts_messages=True).exists()
    return False
