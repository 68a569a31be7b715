"""Demo provider organisations for the Quality Mark: ten of different kinds across the regions,
each with its programmes, six verified and four waiting for a coordinator. The demo provider
admin (`provider@demo.q.example`) administers Living Well Together, which is verified, with a
contributor on its staff. Idempotent: an organisation already there is left as it is."""

import datetime as dt

from django.db import transaction
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.accounts.services import role_grant
from qcommunity.core.demo import refuse_in_production

from ..providers.enums import OrganisationKind as K
from ..providers.enums import ProgrammeFormat as F
from ..providers.enums import StaffRole
from ..providers.models import Organisation, Programme, ProviderStaff

DEMO_ADMIN = "provider@demo.q.example"

# name, slug, kind, regions, website, verified, [programmes]
# a programme: name, conditions, formats, licence name ("" for own design), deliverers, trainers
PROVIDERS = [
    ("Living Well Together", "living-well-together", K.CHARITY, ["west_of_england", "south_west"],
     "https://livingwell.example.org", True, [
         ("Taking Charge of Diabetes", "Type 2 diabetes", [F.GROUP, F.ONLINE], "", 24, 4),
         ("Breathe Easy Steps", "COPD and asthma", [F.GROUP], "", 12, 2),
         ("Living with Chronic Pain", "Persistent pain", [F.GROUP, F.ONE_TO_ONE],
          "Pain Toolkit Plus", 9, 1)]),
    ("Northern Health Coaching CIC", "northern-health-coaching", K.SOCIAL_ENTERPRISE,
     ["north_east_north_cumbria", "yorkshire_humber"], "https://nhc.example.org", True, [
         ("Confident Living", "Any long-term condition", [F.ONE_TO_ONE, F.ONLINE], "", 15, 3)]),
    ("Avonbury Community Health NHS Trust", "avonbury-community-health", K.NHS_BODY,
     ["west_of_england"], "https://avonbury.example.nhs.uk", True, [
         ("Heart Failure Self-Care", "Heart failure", [F.GROUP], "", 8, 2),
         ("Expert Patients", "Any long-term condition", [F.GROUP],
          "Expert Patients Programme", 30, 5)]),
    ("Glasgow Wellbeing Partnership", "glasgow-wellbeing-partnership", K.CHARITY, ["scotland"],
     "https://gwp.example.org", True, [
         ("Moving On with Arthritis", "Osteoarthritis, rheumatoid arthritis", [F.GROUP], "",
          11, 2)]),
    ("Cymru Self-Management Ltd", "cymru-self-management", K.COMPANY, ["wales"],
     "https://cymru-sm.example.com", True, [
         ("Byw'n Iach", "Type 1 and type 2 diabetes", [F.GROUP, F.ONLINE], "", 10, 2),
         ("Fatigue Matters", "Long COVID, ME/CFS", [F.ONLINE], "", 6, 1)]),
    ("Kent County Council Public Health", "kent-county-public-health", K.LOCAL_AUTHORITY,
     ["kent_surrey_sussex"], "https://kent-ph.example.gov.uk", True, [
         ("Live Well Kent Courses", "Any long-term condition", [F.GROUP], "", 20, 3)]),
    ("Midlands Peer Support Network", "midlands-peer-support", K.CHARITY,
     ["west_midlands", "east_midlands"], "", False, [
         ("Peer Pathways", "Mental and physical long-term conditions", [F.GROUP, F.ONE_TO_ONE],
          "", 14, 2)]),
    ("Manchester Digital Health Ltd", "manchester-digital-health", K.COMPANY,
     ["greater_manchester"], "https://mdh.example.com", False, [
         ("MyCOPD Coach", "COPD", [F.ONLINE], "", 4, 1)]),
    ("Belfast Healthy Living Centre", "belfast-healthy-living", K.SOCIAL_ENTERPRISE,
     ["northern_ireland"], "https://bhlc.example.org", False, [
         ("Stroke Recovery Together", "Stroke", [F.GROUP], "", 7, 1)]),
    ("South London Health Innovation Trust", "south-london-health-innovation", K.NHS_BODY,
     ["south_london", "uclpartners"], "https://slhi.example.nhs.uk", False, []),
]  # fmt: skip


@transaction.atomic
def seed_providers() -> int:
    """Create the demo organisations that are missing; returns how many were made."""
    refuse_in_production()
    now = timezone.now()
    coordinator = User.objects.filter(email="coordinator@demo.q.example").first()
    admin = User.objects.filter(email=DEMO_ADMIN).first()
    contributor = User.objects.filter(email="member@demo.q.example").first()
    made = 0
    for number, (name, slug, kind, regions, website, verified, programmes) in enumerate(PROVIDERS):
        if Organisation.objects.filter(slug=slug).exists():
            continue
        registered = now - dt.timedelta(days=120 - number * 9)
        organisation = Organisation.objects.create(
            name=name, slug=slug, kind=kind, regions=regions, website=website,
            created_at=registered, created_by=admin if number == 0 else None,
            verified_at=registered + dt.timedelta(days=5) if verified else None,
            verified_by=coordinator if verified else None,
        )  # fmt: skip
        Programme.objects.bulk_create(
            Programme(
                organisation=organisation,
                name=title,
                conditions=conditions,
                formats=formats,
                licensed=bool(licence),
                licence_name=licence,
                deliverers=deliverers,
                trainers=trainers,
                created_at=registered,
                updated_at=registered,
            )
            for title, conditions, formats, licence, deliverers, trainers in programmes
        )
        if number == 0 and admin is not None:
            ProviderStaff.objects.create(
                organisation=organisation, user=admin, role=StaffRole.ADMIN, added_by=admin,
                added_at=registered,
            )  # fmt: skip
            role_grant(user=admin, role=Role.PROVIDER_ADMIN, actor=None)
            if contributor is not None:
                ProviderStaff.objects.create(
                    organisation=organisation, user=contributor, role=StaffRole.CONTRIBUTOR,
                    added_by=admin, added_at=registered + dt.timedelta(days=2),
                )  # fmt: skip
        made += 1
    return made
