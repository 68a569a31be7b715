"""The demo standard: a national standard for self-management education, written for the demo,
published as version 1 by the demo coordinator, and a draft version 2 copied from it so the
coordinator has work waiting. Idempotent: nothing is added when the standard exists."""

from django.contrib.auth import get_user_model

from ..standards import services
from ..standards.models import Standard

SLUG = "self-management-education"
COORDINATOR = "coordinator@demo.q.example"

P, G, D, T = "provider", "programme", "deliverers", "trainers"

# (code, title, [(code, text, guidance, evidence, minimum, scopes)])
DOMAINS = [
    (
        "1",
        "Leadership and governance",
        [
            (
                "1.1",
                "The organisation names a lead who is accountable for the quality of its "
                "self-management education.",
                "The lead has the time and authority to act on what the quality checks find.",
                "A role description; board minutes naming the lead.",
                True,
                [P],
            ),
            (
                "1.2",
                "The board or its equivalent reviews the quality of programmes at least "
                "once a year.",
                "The review looks at outcomes, feedback and complaints together.",
                "The annual quality report and the minutes where it was discussed.",
                False,
                [P],
            ),
            (
                "1.3",
                "The organisation has policies on safeguarding, equality and information "
                "governance that cover its programmes.",
                "Policies are dated, owned and reviewed on schedule.",
                "The policies and their review log.",
                True,
                [P],
            ),
            (
                "1.4",
                "People who take part in programmes help shape how they are run.",
                "For example through a participant panel or co-design of new sessions.",
                "Terms of reference of a participant group; changes made after their advice.",
                False,
                [P, G],
            ),
            (
                "1.5",
                "The organisation has a plan for keeping its programmes running if key "
                "people leave.",
                "",
                "A business continuity plan; a succession plan for the lead and the trainers.",
                False,
                [P],
            ),
        ],
    ),
    (
        "2",
        "Programme design",
        [
            (
                "2.1",
                "Each programme has written aims and the outcomes it expects for the "
                "people who take part.",
                "Outcomes are about what people can do for themselves, "
                "not only about what they know.",
                "The programme's outline and logic model.",
                True,
                [G],
            ),
            (
                "2.2",
                "The programme's content rests on evidence about self-management and "
                "behaviour change.",
                "References are current and the content has been checked "
                "against them in the last three years.",
                "A content review with its sources.",
                True,
                [G],
            ),
            (
                "2.3",
                "Each session has a plan that a deliverer can follow and adapt.",
                "Plans say what may be adapted and what must stay.",
                "Session plans; a deliverer's manual.",
                False,
                [G, D],
            ),
            (
                "2.4",
                "Materials are in plain language and available in accessible formats.",
                "Easy read, large print, audio or translated versions are offered as people "
                "need them.",
                "Materials in their formats; a readability check.",
                False,
                [G],
            ),
            (
                "2.5",
                "The programme was tested with people who have the conditions it is for "
                "before it was offered widely.",
                "",
                "A pilot report; the changes it led to.",
                False,
                [G],
            ),
        ],
    ),
    (
        "3",
        "Access and inclusion",
        [
            (
                "3.1",
                "The organisation knows who its programmes reach and who they miss.",
                "Data on age, ethnicity, disability, deprivation and condition are compared with "
                "the local population.",
                "A reach analysis for the last twelve months.",
                True,
                [P, G],
            ),
            (
                "3.2",
                "People can join a programme whatever the route: referral or self-referral.",
                "",
                "Referral forms; the self-referral page; referral numbers by route.",
                False,
                [G],
            ),
            (
                "3.3",
                "Sessions are offered at times, places and in formats that suit the "
                "people the programme is for.",
                "Including online and one-to-one options where group sessions do not suit.",
                "A timetable; venue accessibility checks.",
                False,
                [G],
            ),
            (
                "3.4",
                "Reasonable adjustments are asked about before the first session and made.",
                "",
                "The joining questions; a log of adjustments made.",
                True,
                [G, D],
            ),
            (
                "3.5",
                "People who stop attending are contacted to find out why.",
                "What they say is used to improve the programme.",
                "A follow-up log and what changed.",
                False,
                [G],
            ),
        ],
    ),
    (
        "4",
        "Delivery",
        [
            (
                "4.1",
                "Every deliverer has completed the programme's training before "
                "delivering on their own.",
                "Co-delivery with an experienced deliverer counts as part of training.",
                "Training records for each deliverer.",
                True,
                [D],
            ),
            (
                "4.2",
                "Deliverers are observed delivering a session at least once a year, with "
                "written feedback.",
                "Observers use a structured fidelity checklist.",
                "Completed observation forms.",
                True,
                [D],
            ),
            (
                "4.3",
                "Deliverers have regular supervision and somewhere to take concerns.",
                "",
                "A supervision schedule; notes of supervision sessions.",
                False,
                [D],
            ),
            (
                "4.4",
                "Deliverers keep their skills up to date with at least one development "
                "activity a year.",
                "",
                "Each deliverer's development log.",
                False,
                [D],
            ),
            (
                "4.5",
                "Deliverers know how to respond when a participant is at risk or unwell.",
                "They know who to call and how to record what happened.",
                "The escalation procedure; training records for it.",
                True,
                [D],
            ),
        ],
    ),
    (
        "5",
        "Training the deliverers",
        [
            (
                "5.1",
                "Trainers of deliverers are themselves experienced deliverers of the programme.",
                "",
                "Trainers' delivery histories.",
                True,
                [T],
            ),
            (
                "5.2",
                "Deliverer training has a curriculum with learning outcomes and an "
                "assessment of competence.",
                "",
                "The curriculum; assessment records.",
                False,
                [T],
            ),
            (
                "5.3",
                "Trainers are observed training at least once every two years.",
                "",
                "Observation forms for trainers.",
                False,
                [T],
            ),
            (
                "5.4",
                "Trainers review what deliverers' observations show and update the "
                "training accordingly.",
                "",
                "Notes of the review; changes to the training.",
                False,
                [T, P],
            ),
            (
                "5.5",
                "Trainers have access to updates from the programme's developer or licence holder.",
                "Where the programme is licensed, the licence is current.",
                "The licence; update bulletins received.",
                False,
                [T],
            ),
        ],
    ),
    (
        "6",
        "Outcomes and improvement",
        [
            (
                "6.1",
                "The organisation measures outcomes that matter to participants using "
                "validated tools.",
                "For example measures of confidence to self-manage or patient activation.",
                "The measures used; results for the last year.",
                True,
                [P, G],
            ),
            (
                "6.2",
                "Participants are asked for feedback after each programme and the "
                "results are acted on.",
                "",
                "Feedback summaries and the actions taken.",
                False,
                [G],
            ),
            (
                "6.3",
                "Complaints are handled to a published procedure and learnt from.",
                "",
                "The complaints procedure; an anonymised log.",
                False,
                [P],
            ),
            (
                "6.4",
                "The organisation shares what it learns with commissioners and other providers.",
                "",
                "Reports to commissioners; talks or case studies shared.",
                False,
                [P],
            ),
            (
                "6.5",
                "An improvement plan is kept, with owners and dates, and reviewed every quarter.",
                "",
                "The improvement plan and its review notes.",
                False,
                [P],
            ),
        ],
    ),
]

LEVELS = [
    (
        "Foundation",
        "The minimum requirements are met: a provider's first step towards the Quality Mark.",
        True,
    ),
    ("Quality Mark", "Every criterion that applies to the provider's scope is met.", False),
]


def seed_standards() -> int:
    """Publish the demo standard and draft its next version. Returns how many standards were
    added (0 when it exists already)."""
    if Standard.objects.filter(slug=SLUG).exists():
        return 0
    actor = get_user_model().objects.get(email=COORDINATOR)
    standard = services.standard_create(
        actor=actor,
        name="Self-management education",
        slug=SLUG,
        description=(
            "The national standard for organisations that provide self-management education "
            "for people living with long-term conditions: the organisation, its programmes, "
            "the people who deliver them and those who train the deliverers."
        ),
    )
    version = services.version_draft(actor=actor, standard=standard, copy_current=False)
    for code, title, criteria in DOMAINS:
        domain = services.domain_add(actor=actor, version=version, code=code, title=title)
        for c_code, text, guidance, evidence, minimum, scopes in criteria:
            services.criterion_add(
                actor=actor,
                version=version,
                domain=domain,
                code=c_code,
                text=text,
                guidance=guidance,
                evidence_examples=evidence,
                is_minimum=minimum,
                scopes=scopes,
            )
    for name, description, minimum_only in LEVELS:
        services.level_add(
            actor=actor,
            version=version,
            name=name,
            description=description,
            minimum_only=minimum_only,
        )
    services.version_publish(
        actor=actor,
        version=version,
        change_summary="The first version, agreed after the pilot with early providers.",
    )
    services.version_draft(actor=actor, standard=standard, copy_current=True)
    return 1
