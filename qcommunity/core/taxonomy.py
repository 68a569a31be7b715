"""The vocabularies every part of the site shares, fixed by the design: the four nations, the
18 regions panels select for, the types of role people hold and of organisation they work in.
Directory entries, joining rounds, Exchange proposals and newsletter segments all use these, so
they live here rather than in any one app (changing a value is a data migration in each app that
stores it)."""

from django.db import models


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    SCOTLAND = "scotland", "Scotland"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class Region(models.TextChoices):
    """The 18 regions panels select for: three nations and England's 15 AHSN areas."""

    SCOTLAND = "scotland", "Scotland"
    WALES = "wales", "Wales"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"
    EAST_MIDLANDS = "east_midlands", "East Midlands"
    EASTERN = "eastern", "Eastern"
    GREATER_MANCHESTER = "greater_manchester", "Greater Manchester"
    IMPERIAL = "imperial", "Imperial College Health Partners"
    KENT_SURREY_SUSSEX = "kent_surrey_sussex", "Kent Surrey Sussex"
    NORTH_EAST_NORTH_CUMBRIA = "north_east_north_cumbria", "North East and North Cumbria"
    NORTH_WEST_COAST = "north_west_coast", "North West Coast"
    OXFORD = "oxford", "Oxford"
    SOUTH_LONDON = "south_london", "South London (Health Innovation Network)"
    SOUTH_WEST = "south_west", "South West"
    UCLPARTNERS = "uclpartners", "UCLPartners"
    WESSEX = "wessex", "Wessex"
    WEST_MIDLANDS = "west_midlands", "West Midlands"
    WEST_OF_ENGLAND = "west_of_england", "West of England"
    YORKSHIRE_HUMBER = "yorkshire_humber", "Yorkshire & Humber"

    @property
    def nation(self) -> Nation:
        return REGION_NATION.get(self, Nation.ENGLAND)


REGION_NATION = {
    Region.SCOTLAND: Nation.SCOTLAND,
    Region.WALES: Nation.WALES,
    Region.NORTHERN_IRELAND: Nation.NORTHERN_IRELAND,
}


class OrganisationType(models.TextChoices):
    ACUTE = "acute", "Acute (hospital) care"
    PRIMARY_CARE = "primary_care", "Primary care"
    COMMUNITY = "community", "Community health services"
    MENTAL_HEALTH = "mental_health", "Mental health"
    AMBULANCE = "ambulance", "Ambulance service"
    INTEGRATED_CARE = "integrated_care", "Integrated care"
    COMMISSIONING = "commissioning", "Commissioning"
    LOCAL_AUTHORITY = "local_authority", "Local authority"
    VOLUNTARY = "voluntary", "Voluntary and community sector"
    UNIVERSITY = "university", "University"
    NATIONAL_BODY = "national_body", "National body"
    ROYAL_COLLEGE = "royal_college", "Royal college"
    PATIENT_ORGANISATION = "patient_organisation", "Patient organisation"
    PRIVATE = "private", "Private sector"
    OTHER = "other", "Other"


class RoleType(models.TextChoices):
    FRONTLINE = "frontline", "Frontline staff"
    MANAGER = "manager", "Manager"
    RESEARCHER = "researcher", "Researcher"
    PATIENT_LEADER = "patient_leader", "Patient leader"
    POLICY_MAKER = "policy_maker", "Policy maker"
    EDUCATOR = "educator", "Educator"
    OTHER = "other", "Other"
