"""Demo rounds of joining Q, for local development: one open regional wave with drafts and
submitted applications, one closed round whose panel is part way through its reviews, and one
round whose decisions are recorded.

Everyone here is invented. Everything is made through the real services (rounds, applications,
panels, reviews, decisions), so the data passes every rule the site holds. `seed_joining` is
idempotent: a round whose name exists is left exactly as it is, and people are keyed by email.
It refuses production settings.

Dates are set relative to the first run: the open round closes 12 days after it, the round in
review has its review deadline 5 days after it, and the decided round's release date is 30
days before it. Applications are submitted "in the past" by passing the time to the service,
while the round was still open; the round's dates are then moved on with `round_update`.
"""

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from qcommunity.accounts.models import User
from qcommunity.core.demo import refuse_in_production
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.scoring.enums import AssignmentStatus, PanelRole
from qcommunity.scoring.models import Assignment, Panel
from qcommunity.scoring.services import (
    CriterionSpec,
    ScalePointSpec,
    ScoreInput,
    assignment_confirm_no_conflict,
    review_submit,
)

from ..joining.enums import Commitment, Phase
from ..joining.models import Application, Round, RoundManager
from ..joining.services import (
    application_create,
    application_decide,
    application_save_draft,
    application_transition,
    round_close,
    round_create,
    round_open,
    round_release_decisions,
    round_transition,
    round_update,
)
from ..panels.kind import APPLICATION_PANELS
from ..panels.services import (
    round_panel_create,
    round_panel_member_add,
    round_start_review,
)

DAY = dt.timedelta(days=1)
ADMIN_EMAIL = "admin@demo.q.example"
PANEL_EMAIL = "panel@demo.q.example"
MANAGER_EMAIL = "manager@demo.q.example"
CHAIR_EMAIL = "chair@demo.q.example"

OPEN_ROUND = "Regional wave 3: Wessex, South West and Wales"
# Seeded apart from the three rounds above (`seed_joining_overdue`): a panel past its deadline.
OVERDUE_ROUND = "Regional pilot: Eastern"
REVIEW_ROUND = "Regional wave 2: West Midlands"
DECIDED_ROUND = "Regional wave 1: North West Coast"

CRITERIA = [
    CriterionSpec(
        "Commitment to collaborative improvement",
        "Why you want to join Q, and what you would bring to other members and take from them.",
        "Tell us what you hope to learn, and what you could offer: time, skills, a place to "
        "visit, data, a story of what went wrong.",
        "- A ward manager who wants to spread a huddle across a hospital\n"
        "- A carer who wants their experience to shape how services are designed",
        250,
    ),
    CriterionSpec(
        "Experience of improvement across boundaries",
        "Improvement work you led, or made happen, beyond your own team or organisation.",
        "Say what your part was and who you worked with. Influence counts as much as title.",
        "",
        250,
    ),
    CriterionSpec(
        "Understanding of how to improve",
        "What you were trying to achieve, how you went about it, and what you learnt.",
        "Reflect on the approach you used: what worked, what did not, and what you would "
        "change next time.",
        "",
        250,
    ),
]
SCALE = [
    ScalePointSpec(0, "No evidence", "The answer does not speak to the criterion."),
    ScalePointSpec(1, "Some evidence", "Some relevant points, with large gaps."),
    ScalePointSpec(2, "Good evidence", "Clear, relevant evidence that meets the criterion."),
    ScalePointSpec(3, "Strong evidence", "Specific, reflective evidence well beyond the bar."),
]


@dataclass(frozen=True)
class DemoApplicant:
    """An invented person who applies in a demo round (no sign-in: unusable password)."""

    email_name: str  # <email_name>.applicant@demo.q.example
    full_name: str
    region: str
    job_title: str
    organisation: str
    organisation_type: str
    role_types: tuple[str, ...]
    answers: tuple[str, str, str]

    @property
    def email(self) -> str:
        return f"{self.email_name}.applicant@demo.q.example"


def _answers(aim: str, across: str, learnt: str) -> tuple[str, str, str]:
    return (
        f"I want to join Q because {aim} I can offer what we have learnt so far, and I would "
        "like to hear from people who have tried the same thing somewhere else.",
        f"{across} I brought the teams together, agreed one shared measure with them and kept "
        "everyone meeting every fortnight.",
        f"We used Plan-Do-Study-Act cycles and run charts. {learnt} Next time I would involve "
        "patients from the first week, not the third month.",
    )


OPEN_SUBMITTED = (
    DemoApplicant(
        "bethan.carrow",
        "Bethan Carrow",
        Region.WALES,
        "Ward sister",
        "Llanfadog University Health Board",
        OrganisationType.ACUTE,
        (RoleType.FRONTLINE,),
        _answers(
            "our falls work has stalled after a good first year.",
            "I led a falls collaborative across four wards and the community physiotherapy team.",
            "Our first changes worked on one ward but not on the others.",
        ),
    ),
    DemoApplicant(
        "idris.penhallow",
        "Idris Penhallow",
        Region.SOUTH_WEST,
        "Service manager",
        "Tamar Vale Community Health Services",
        OrganisationType.COMMUNITY,
        (RoleType.MANAGER,),
        _answers(
            "I want to learn how other areas keep people out of hospital in winter.",
            "I set up a joint discharge team with the local council and two GP practices.",
            "Shared data mattered more than the new process.",
        ),
    ),
    DemoApplicant(
        "sorcha.linnane",
        "Sorcha Linnane",
        Region.WESSEX,
        "Patient partner",
        "Avonbury Patient Voice",
        OrganisationType.PATIENT_ORGANISATION,
        (RoleType.PATIENT_LEADER,),
        _answers(
            "people with long-term conditions should help decide what gets improved.",
            "I co-chaired a group of patients and staff that redesigned diabetes clinics.",
            "Listening sessions changed what we chose to measure.",
        ),
    ),
    DemoApplicant(
        "kit.marwood",
        "Kit Marwood",
        Region.WESSEX,
        "Improvement analyst",
        "Solent Reach Integrated Care Board",
        OrganisationType.INTEGRATED_CARE,
        (RoleType.OTHER, RoleType.RESEARCHER),
        _answers(
            "I want to help teams use their own data well.",
            "I built weekly run charts for twelve practices and taught their staff to read them.",
            "Teams trusted the charts once they could see their own patients in them.",
        ),
    ),
)
OPEN_DRAFTS = (
    DemoApplicant(
        "tamsin.rosevear",
        "Tamsin Rosevear",
        Region.SOUTH_WEST,
        "Paramedic",
        "Dartcombe Ambulance Service",
        OrganisationType.AMBULANCE,
        (RoleType.FRONTLINE,),
        _answers(
            "handovers at the emergency department door are where our patients wait longest.",
            "I worked with two emergency departments on a shared handover checklist.",
            "We tested the checklist on night shifts first.",
        ),
    ),
    DemoApplicant(
        "owain.gethin",
        "Owain Gethin",
        Region.WALES,
        "Clinical pharmacist",
        "Cwm Tawel Primary Care Network",
        OrganisationType.PRIMARY_CARE,
        (RoleType.FRONTLINE,),
        ("", "", ""),
    ),
    DemoApplicant(
        "mirela.stan",
        "Mirela Stan",
        Region.WESSEX,
        "Lecturer in nursing",
        "University of Avonbury",
        OrganisationType.UNIVERSITY,
        (RoleType.EDUCATOR,),
        (
            "I teach improvement to student nurses and want to bring real projects into it.",
            "",
            "",
        ),
    ),
)
REVIEW_APPLICANTS = (
    DemoApplicant(
        "jago.trethewey",
        "Jago Trethewey",
        Region.WEST_MIDLANDS,
        "Head of improvement",
        "Severnmere Hospitals NHS Foundation Trust",
        OrganisationType.ACUTE,
        (RoleType.MANAGER,),
        _answers(
            "our trust is starting an improvement programme and I want to learn from others.",
            "I led work on sepsis screening across the trust and its two community hospitals.",
            "Screening rates rose once the ward teams owned the measure.",
        ),
    ),
    DemoApplicant(
        "ruqayya.demir",
        "Ruqayya Demir",
        Region.WEST_MIDLANDS,
        "GP partner",
        "Arden Heath Primary Care Network",
        OrganisationType.PRIMARY_CARE,
        (RoleType.FRONTLINE, RoleType.MANAGER),
        _answers(
            "general practice is often missing from improvement networks.",
            "I brought five practices together to cut waits for repeat prescriptions.",
            "Small tests on one practice's process saved us from a costly mistake.",
        ),
    ),
    DemoApplicant(
        "callan.brierley",
        "Callan Brierley",
        Region.WEST_MIDLANDS,
        "Carer representative",
        "Severnmere Carers Network",
        OrganisationType.VOLUNTARY,
        (RoleType.PATIENT_LEADER,),
        _answers(
            "carers see the gaps between services that nobody else sees.",
            "I sit on the council's carers board and helped design a hospital discharge leaflet.",
            "Testing the leaflet with carers showed which words confused people.",
        ),
    ),
    DemoApplicant(
        "anouk.whitlock",
        "Anouk Whitlock",
        Region.WEST_MIDLANDS,
        "Research fellow",
        "University of Arden Heath",
        OrganisationType.UNIVERSITY,
        (RoleType.RESEARCHER,),
        _answers(
            "I want my evaluation work to be useful to teams while they are still improving.",
            "I evaluated a mental health crisis service run by three organisations.",
            "Feeding findings back every month changed the service as we went.",
        ),
    ),
)
DECIDED_APPLICANTS = (
    DemoApplicant(
        "ferne.ashdown",
        "Ferne Ashdown",
        Region.NORTH_WEST_COAST,
        "Quality improvement lead",
        "Ribblemouth Mental Health NHS Trust",
        OrganisationType.MENTAL_HEALTH,
        (RoleType.MANAGER,),
        _answers(
            "I want to connect with people improving inpatient mental health care.",
            "I led work on reducing restraint across six wards, with service users on the team.",
            "The biggest change came from the ward rounds, not the new policy.",
        ),
    ),
    DemoApplicant(
        "lorcan.vesey",
        "Lorcan Vesey",
        Region.NORTH_WEST_COAST,
        "Physiotherapist",
        "Lunebank Hospitals NHS Foundation Trust",
        OrganisationType.ACUTE,
        (RoleType.FRONTLINE,),
        _answers(
            "I want to get better at improvement.",
            "I changed how our own team books outpatient appointments.",
            "We tried a new booking system.",
        ),
    ),
    DemoApplicant(
        "priyanka.holt",
        "Priyanka Holt",
        Region.NORTH_WEST_COAST,
        "Policy adviser",
        "Lunebank Council",
        OrganisationType.LOCAL_AUTHORITY,
        (RoleType.POLICY_MAKER,),
        _answers(
            "health and care improvement needs people from local government in the room.",
            "I helped bring the council, the NHS and housing together on hospital discharge.",
            "Agreeing one definition of a delayed discharge took months, and was worth it.",
        ),
    ),
)

OVERDUE_APPLICANTS = (
    DemoApplicant(
        "maren.oduya",
        "Maren Oduya",
        Region.EASTERN,
        "Matron for older people",
        "Fenmoor Hospitals NHS Trust",
        OrganisationType.ACUTE,
        (RoleType.FRONTLINE, RoleType.MANAGER),
        _answers(
            "delirium care differs from ward to ward and I want to learn how others level it up.",
            "I led a delirium screening project across three wards and the frailty team.",
            "Screening stuck once it was part of the morning huddle.",
        ),
    ),
    DemoApplicant(
        "tobias.quenby",
        "Tobias Quenby",
        Region.EASTERN,
        "Community pharmacist",
        "Wendover Fen Pharmacy",
        OrganisationType.PRIMARY_CARE,
        (RoleType.FRONTLINE,),
        _answers(
            "community pharmacy could do more for people leaving hospital.",
            "I worked with a hospital discharge team on medicines reviews after discharge.",
            "Phoning people two days after discharge found most of the problems.",
        ),
    ),
    DemoApplicant(
        "ines.harcourt",
        "Ines Harcourt",
        Region.EASTERN,
        "Head of patient experience",
        "Ouseley Community Health",
        OrganisationType.COMMUNITY,
        (RoleType.MANAGER, RoleType.PATIENT_LEADER),
        _answers(
            "patient stories should change services, not just reports.",
            "I set up a group of patients and staff across two community services.",
            "Small changes people could see kept them coming back.",
        ),
    ),
)

# The in-review round's second reviewer and the decided round's reviewers (no sign-in).
REVIEWER_WEST_MIDLANDS = ("Delyth Okonjo", "delyth.okonjo.reviewer@demo.q.example")
REVIEWER_NORTH_WEST = ("Hollis Garrow", "hollis.garrow.reviewer@demo.q.example")
# The overdue round's panel: two reviewers and a chair (no sign-in).
OVERDUE_PANEL = (
    ("Esme Rackham", "esme.rackham.reviewer@demo.q.example"),
    ("Wilf Adeyemi", "wilf.adeyemi.reviewer@demo.q.example"),
    ("Nerys Calloway", "nerys.calloway.chair@demo.q.example"),
)


def _user(email: str, full_name: str) -> User:
    user = User.objects.filter(email=email).first()
    if user is None:
        user = User.objects.create_user(
            email=email,
            password=None,
            full_name=full_name,
            preferred_name=full_name.partition(" ")[0],
        )
    return user


def _draft(round_: Round, person: DemoApplicant, *, complete: bool) -> Application:
    """A draft by `person` with their facts and whatever answers they have written."""
    applicant = _user(person.email, person.full_name)
    application = application_create(actor=applicant, round_=round_, region=person.region)
    criteria = list(round_.scheme.criteria.order_by("position"))
    answers = {c.pk: text for c, text in zip(criteria, person.answers, strict=True) if text}
    return application_save_draft(
        actor=applicant,
        application=application,
        facts={
            "job_title": person.job_title,
            "organisation": person.organisation,
            "organisation_type": person.organisation_type,
            "role_types": list(person.role_types),
            "region": person.region,
        },
        answers=answers,
        commitments=Commitment.values if complete else [],
    ).application


def _submitted(round_: Round, person: DemoApplicant, when: dt.datetime) -> Application:
    application = _draft(round_, person, complete=True)
    return application_transition(
        actor=application.applicant, application=application, action="submit", now=when
    )


def _create_round(
    admin: User, *, name: str, regions, opens_at, review_deadline, decisions_release_at
) -> Round:
    """A round created and opened now, taking applications until tomorrow (so the services
    accept applications in it); `_move_dates` puts its dates where the demo wants them."""
    tomorrow = timezone.now() + DAY
    round_ = round_create(
        actor=admin,
        name=name,
        phase=Phase.REGIONAL,
        regions=list(regions),
        opens_at=opens_at,
        closes_at=tomorrow,
        review_deadline=max(review_deadline, tomorrow),
        decisions_release_at=max(decisions_release_at, tomorrow),
        criteria=CRITERIA,
        scale=SCALE,
    )
    return round_open(actor=admin, round_=round_)


def _move_dates(admin: User, round_: Round, **dates: dt.datetime) -> Round:
    return round_update(
        actor=admin,
        round_=round_,
        name=round_.name,
        phase=round_.phase,
        regions=round_.regions,
        reviews_needed=round_.reviews_needed,
        opens_at=dates["opens_at"],
        closes_at=dates["closes_at"],
        review_deadline=dates["review_deadline"],
        decisions_release_at=dates["decisions_release_at"],
    )


def _panel(admin, round_, region, *, reviewers, chair) -> Panel:
    panel = round_panel_create(actor=admin, round_=round_, region=region)
    for user, organisation in reviewers:
        round_panel_member_add(actor=admin, panel=panel, user=user, organisation=organisation)
    round_panel_member_add(
        actor=admin, panel=panel, user=chair, role=PanelRole.CHAIR, organisation=""
    )
    return panel


def _review(assignment: Assignment, values, recommendation: str, comment: str) -> None:
    """The reviewer says they have no conflict, then submits their scores."""
    reviewer = assignment.reviewer
    assignment_confirm_no_conflict(APPLICATION_PANELS, actor=reviewer, assignment=assignment)
    criteria = list(assignment.panel.scheme.criteria.order_by("position"))
    review_submit(
        actor=reviewer,
        assignment=assignment,
        scores=[
            ScoreInput(criterion.pk, value, comment)
            for criterion, value in zip(criteria, values, strict=True)
        ],
        recommendation=recommendation,
        comment=comment,
    )


def _assignment(panel: Panel, reviewer: User, application: Application) -> Assignment:
    return Assignment.objects.select_related("reviewer", "panel").get(
        panel=panel, reviewer=reviewer, subject_id=application.pk, status=AssignmentStatus.ASSIGNED
    )


def seed_open_round(admin: User, now: dt.datetime) -> Round:
    """Open to Wessex (the demo member's region), South West and Wales; closes in 12 days.
    Four people have submitted; three drafts, one ready to submit and two part written."""
    round_ = _create_round(
        admin,
        name=OPEN_ROUND,
        regions=[Region.WESSEX, Region.SOUTH_WEST, Region.WALES],
        opens_at=now - 9 * DAY,
        review_deadline=now + 40 * DAY,
        decisions_release_at=now + 60 * DAY,
    )
    for n, person in enumerate(OPEN_SUBMITTED):
        _submitted(round_, person, now - (8 - 2 * n) * DAY)
    for n, person in enumerate(OPEN_DRAFTS):
        _draft(round_, person, complete=n == 0)
    return _move_dates(
        admin,
        round_,
        opens_at=now - 9 * DAY,
        closes_at=now + 12 * DAY,
        review_deadline=now + 40 * DAY,
        decisions_release_at=now + 60 * DAY,
    )


def seed_review_round(admin: User, panel_user: User, chair: User, now: dt.datetime) -> Round:
    """Closed 20 days ago; the West Midlands panel (the demo panel member, an invented
    reviewer, the demo chair) is part way through. Every application has two reviewers; of the
    four, two have both reviews in (one decided by the chair, one waiting for the decision), one
    has one review in, one has none. Reviews are due in 5 days."""
    round_ = _create_round(
        admin,
        name=REVIEW_ROUND,
        regions=[Region.WEST_MIDLANDS],
        opens_at=now - 60 * DAY,
        review_deadline=now + 5 * DAY,
        decisions_release_at=now + 25 * DAY,
    )
    applications = [
        _submitted(round_, person, now - (50 - 5 * n) * DAY)
        for n, person in enumerate(REVIEW_APPLICANTS)
    ]
    round_ = _move_dates(
        admin,
        round_,
        opens_at=now - 60 * DAY,
        closes_at=now - 20 * DAY,
        review_deadline=now + 5 * DAY,
        decisions_release_at=now + 25 * DAY,
    )
    round_close(actor=admin, round_=round_)
    other = _user(REVIEWER_WEST_MIDLANDS[1], REVIEWER_WEST_MIDLANDS[0])
    panel = _panel(
        admin,
        round_,
        Region.WEST_MIDLANDS,
        reviewers=[(panel_user, "Pennine Edge Community Health Services"), (other, "")],
        chair=chair,
    )
    round_start_review(actor=admin, round_=round_)
    first, second, third, _fourth = applications
    _review(_assignment(panel, other, first), [3, 3, 2], "support", "Clear, reflective answers.")
    _review(_assignment(panel, panel_user, first), [3, 2, 2], "support", "Strong on spread.")
    _review(_assignment(panel, other, second), [2, 1, 2], "unsure", "Thin on crossing teams.")
    _review(_assignment(panel, panel_user, second), [3, 3, 3], "support", "Good across all.")
    _review(_assignment(panel, other, third), [2, 2, 1], "unsure", "Little on what they learnt.")
    application_decide(
        actor=chair,
        application=Application.objects.get(pk=first.pk),
        accept=True,
        rationale="Both reviewers recommend; strong evidence on every criterion.",
    )
    return round_


def release_decided_round(round_: Round) -> Round:
    """Release the decided round's decisions, as the scheduled task would on its release date
    (already passed): accepted applicants become members with hidden directory entries, and every
    applicant is emailed."""
    round_release_decisions(round_=round_)
    round_.refresh_from_db()
    return round_


def seed_decided_round(admin: User, chair: User, panel_user: User, now: dt.datetime) -> Round:
    """North West Coast, decided: applications closed 90 days ago, reviewed by the demo panel
    member and an invented reviewer, decided by the demo chair (two accepted, one "not yet"
    with feedback). The release date was 30 days ago."""
    round_ = _create_round(
        admin,
        name=DECIDED_ROUND,
        regions=[Region.NORTH_WEST_COAST],
        opens_at=now - 130 * DAY,
        review_deadline=now - 50 * DAY,
        decisions_release_at=now - 30 * DAY,
    )
    applications = [
        _submitted(round_, person, now - (120 - 10 * n) * DAY)
        for n, person in enumerate(DECIDED_APPLICANTS)
    ]
    round_ = _move_dates(
        admin,
        round_,
        opens_at=now - 130 * DAY,
        closes_at=now - 90 * DAY,
        review_deadline=now - 50 * DAY,
        decisions_release_at=now - 30 * DAY,
    )
    round_close(actor=admin, round_=round_)
    other = _user(REVIEWER_NORTH_WEST[1], REVIEWER_NORTH_WEST[0])
    panel = _panel(
        admin,
        round_,
        Region.NORTH_WEST_COAST,
        reviewers=[(panel_user, "Pennine Edge Community Health Services"), (other, "")],
        chair=chair,
    )
    round_start_review(actor=admin, round_=round_)
    scores = {
        0: ([3, 3, 3], [3, 2, 3], "support"),
        1: ([1, 0, 1], [1, 1, 0], "oppose"),
        2: ([2, 3, 2], [2, 2, 2], "support"),
    }
    for n, application in enumerate(applications):
        mine, theirs, recommendation = scores[n]
        _review(_assignment(panel, panel_user, application), mine, recommendation, "Scored.")
        _review(_assignment(panel, other, application), theirs, recommendation, "Scored.")
    decided_at = now - 45 * DAY
    decisions = (
        (
            True,
            "Both reviewers recommend; strong evidence on every criterion.",
            "Welcome to Q. The panel was struck by how you involved service users from the start.",
        ),
        (
            False,
            "The work described stays within one team; little reflection on the approach.",
            "Thank you for applying. The panel could see your commitment, but your answers "
            "describe work within your own team. Next time, tell us about work that brought "
            "different teams or organisations together, what your part was, and what you "
            "learnt about how to improve.",
        ),
        (
            True,
            "Recommended by both reviewers; brings local government into Q.",
            "Welcome to Q. Members working on discharge will be glad to hear from you.",
        ),
    )
    for application, (accept, rationale, feedback) in zip(applications, decisions, strict=True):
        application_transition(
            actor=chair,
            application=Application.objects.get(pk=application.pk),
            action="accept" if accept else "not_yet",
            rationale=rationale,
            feedback=feedback,
            now=decided_at,
        )
    round_ = round_transition(actor=admin, round_=round_, action="mark_decided")
    return release_decided_round(round_)


def seed_overdue_round(admin: User, now: dt.datetime) -> Round:
    """Eastern, a pilot whose panel ran late: applications closed 45 days ago and reviews were
    due 2 days ago. Of three applications, one has both reviews in, one has one and one has
    none, so three reviews are still to do; the release date is 20 days away. The panel is
    invented people who cannot sign in, so no demo account's pages change."""
    round_ = _create_round(
        admin,
        name=OVERDUE_ROUND,
        regions=[Region.EASTERN],
        opens_at=now - 80 * DAY,
        review_deadline=now - 2 * DAY,
        decisions_release_at=now + 20 * DAY,
    )
    applications = [
        _submitted(round_, person, now - (70 - 5 * n) * DAY)
        for n, person in enumerate(OVERDUE_APPLICANTS)
    ]
    round_ = _move_dates(
        admin,
        round_,
        opens_at=now - 80 * DAY,
        closes_at=now - 45 * DAY,
        review_deadline=now - 2 * DAY,
        decisions_release_at=now + 20 * DAY,
    )
    round_close(actor=admin, round_=round_)
    (first_name, first_email), (second_name, second_email), (chair_name, chair_email) = (
        OVERDUE_PANEL
    )
    first, second = _user(first_email, first_name), _user(second_email, second_name)
    panel = _panel(
        admin,
        round_,
        Region.EASTERN,
        reviewers=[(first, ""), (second, "")],
        chair=_user(chair_email, chair_name),
    )
    round_start_review(actor=admin, round_=round_)
    one, two, _three = applications
    _review(_assignment(panel, first, one), [2, 2, 3], "support", "Clear and specific.")
    _review(_assignment(panel, second, one), [3, 2, 2], "support", "Good on spread.")
    _review(_assignment(panel, first, two), [2, 1, 2], "unsure", "Little across teams.")
    return round_


@transaction.atomic
def seed_joining_overdue() -> int:
    """Create the round whose panel is past its review deadline, if it does not exist yet (a
    line the staff home shows); returns 1 when it was new. Needs the demo accounts."""
    refuse_in_production()
    if Round.objects.filter(name=OVERDUE_ROUND).exists():
        return 0
    admin = User.objects.get(email=ADMIN_EMAIL)
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    seed_overdue_round(admin, now)
    return 1


@transaction.atomic
def seed_joining() -> int:
    """Create the three demo rounds that do not exist yet; returns how many were new. Needs the
    demo accounts (`qcommunity.core.demo.seed_accounts`) first."""
    refuse_in_production()
    accounts = User.objects.in_bulk([ADMIN_EMAIL, PANEL_EMAIL, CHAIR_EMAIL], field_name="email")
    admin, panel_user, chair = accounts[ADMIN_EMAIL], accounts[PANEL_EMAIL], accounts[CHAIR_EMAIL]
    existing = set(
        Round.objects.filter(name__in=[OPEN_ROUND, REVIEW_ROUND, DECIDED_ROUND]).values_list(
            "name", flat=True
        )
    )
    # Round dates fall at noon (Europe/London), as staff would set them.
    now = timezone.localtime().replace(hour=12, minute=0, second=0, microsecond=0)
    added = 0
    if DECIDED_ROUND not in existing:
        seed_decided_round(admin, chair, panel_user, now)
        added += 1
    if REVIEW_ROUND not in existing:
        seed_review_round(admin, panel_user, chair, now)
        added += 1
    if OPEN_ROUND not in existing:
        seed_open_round(admin, now)
        added += 1
    _seed_round_manager(admin)
    return added


def _seed_round_manager(admin: User) -> None:
    """The demo round manager runs the open round (their role comes with the demo account)."""
    manager = User.objects.filter(email=MANAGER_EMAIL).first()
    round_ = Round.objects.filter(name=OPEN_ROUND).first()
    if manager is not None and round_ is not None:
        RoundManager.objects.get_or_create(
            round=round_,
            user=manager,
            defaults={"added_by": admin, "reason": "Runs the Wessex, South West and Wales wave"},
        )
