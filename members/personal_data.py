"""What the members app holds about a person (qcommunity.privacy.registry): their directory
entry, random coffee, messages relayed through the site, applications to join Q and their work on
joining Q panels. Each source exports in a fixed number of queries and erases with set-based
updates and deletes, inside the account deletion's transaction.

Choices made on deletion, and why:
- The directory entry is deleted with its photo file (after commit) and its topics, approaches
  and offers. Messages others sent to the entry go with it (they point at the entry and were
  delivered by email already).
- Random coffee pairings stay: they are also the other person's history, which now shows
  "Former member" (messaging a former member is not offered, since the account is inactive).
- Messages the person sent through the site are deleted (the recipient already has the email).
- Applications that were submitted stay with their decision (the privacy notice says decisions
  are kept), but their answers and the job title, organisation and course year on them are
  blanked; drafts never submitted are deleted. Region, type of organisation and role types stay:
  they route the application to its regional panel and count in round reports, and name nobody.
- Panel work (membership rounds only; Exchange panels belong to exchange's own sources):
  submitted reviews and declared conflicts stay, for the fairness of the decisions; unfinished
  reviews are withdrawn through the scoring kit's one transition point so staff can give them to
  another reviewer; places on panels of rounds not yet released are removed, places on panels of
  released rounds stay (who decided) without the organisation. Decisions recorded as a chair
  stay (no erase step): the account's tombstone shows as "Former member"."""

from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone

from qcommunity.core.taxonomy import Nation, OrganisationType, Region, RoleType
from qcommunity.privacy.registry import PersonalData, register
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import PanelMember
from qcommunity.scoring.selectors import reviewer_assignment_record, reviewer_assignments
from qcommunity.scoring.services import assignments_withdraw_for_reviewer

from .directory_cache import directory_changed
from .enums import Visibility
from .enums_joining import ApplicationStatus, Phase, RoundStatus
from .models import CoffeePairing, ContactMessage, Profile
from .models_joining import Application, ApplicationAnswer, Round
from .selectors_joining import application_status_for_applicant
from .services import member_name, month_label

VISIBILITY = dict(Visibility.choices)
ORGANISATION_TYPE = dict(OrganisationType.choices)
ROLE_TYPE = dict(RoleType.choices)
REGION = dict(Region.choices)
NATION = dict(Nation.choices)
PHASE = dict(Phase.choices)
APPLICATION_STATUS = dict(ApplicationStatus.choices)
PANEL_ROLE = dict(PanelRole.choices)


def _labels(codes, labels: dict) -> list[str]:
    return [labels.get(code, code) for code in codes]


# Directory entry -------------------------------------------------------------------------------


def profile_export(user) -> list[dict]:
    profile = (
        Profile.objects.filter(user_id=user.pk)
        .prefetch_related("topics", "approaches", "offers")
        .first()
    )
    if profile is None:
        return []
    return [
        {
            "address": profile.slug,
            "who_can_see_it": VISIBILITY.get(profile.visibility, profile.visibility),
            "takes_messages_through_the_site": profile.accepts_messages,
            "pronouns": profile.pronouns,
            "job_title": profile.job_title,
            "organisation": profile.organisation,
            "type_of_organisation": ORGANISATION_TYPE.get(profile.organisation_type, ""),
            "what_describes_your_role": _labels(profile.role_types, ROLE_TYPE),
            "region": REGION.get(profile.region, ""),
            "nation": NATION.get(profile.nation, ""),
            "topics": [t.name for t in profile.topics.all()],
            "approaches": [a.name for a in profile.approaches.all()],
            "offers": [o.name for o in profile.offers.all()],
            "what_you_are_working_on": profile.working_on,
            "links": profile.links,
            "photo_file": profile.photo.name or "",
            "last_confirmed_up_to_date_at": profile.confirmed_at,
            "published_at": profile.published_at,
            "created_at": profile.created_at,
            "updated_at": profile.updated_at,
        }
    ]


def profile_erase(user) -> None:
    """Delete the entry (its topics, approaches, offers and the messages sent to it go with it)
    and, once the deletion commits, its photo file; make cached directory pages stale."""
    photos = [
        name
        for name in Profile.objects.filter(user_id=user.pk).values_list("photo", flat=True)
        if name
    ]
    Profile.objects.filter(user_id=user.pk).delete()
    for name in photos:
        transaction.on_commit(lambda name=name: default_storage.delete(name))
    directory_changed()


# Random coffee ---------------------------------------------------------------------------------


def coffee_export(user) -> list[dict]:
    opted_in = Profile.objects.filter(user_id=user.pk, coffee_opt_in=True).exists()
    pairings = (
        CoffeePairing.objects.filter(Q(member_a_id=user.pk) | Q(member_b_id=user.pk))
        .select_related("member_a", "member_b")
        .order_by("-month", "-id")
    )
    return [
        {
            "taking_part": opted_in,
            "pairings": [
                {
                    "month": month_label(p.month),
                    "paired_with": member_name(
                        p.member_b if p.member_a_id == user.pk else p.member_a
                    ),
                }
                for p in pairings
            ],
        }
    ]


def coffee_erase(user) -> None:
    """Opt out (the entry that holds the choice is deleted too, by profile_erase). Pairings
    already made stay: they are the other person's history as well, shown as "Former member"."""
    Profile.objects.filter(user_id=user.pk, coffee_opt_in=True).update(coffee_opt_in=False)


# Messages relayed through the site -------------------------------------------------------------


def contact_export(user) -> list[dict]:
    sent = (
        ContactMessage.objects.filter(sender_id=user.pk)
        .select_related("recipient__user")
        .order_by("created_at", "id")
    )
    received = (
        ContactMessage.objects.filter(recipient__user_id=user.pk)
        .select_related("sender")
        .order_by("created_at", "id")
    )
    return [
        *(
            {
                "sent_or_received": "Sent",
                "to": m.recipient.display_name,
                "subject": m.subject,
                "message": m.body,
                "let_them_reply_by_email": m.allow_reply,
                "sent_at": m.created_at,
            }
            for m in sent
        ),
        *(
            {
                "sent_or_received": "Received",
                "from": m.sender.full_name or m.sender.display_name,
                "received_at": m.created_at,
            }
            for m in received
        ),
    ]


def contact_erase(user) -> None:
    ContactMessage.objects.filter(Q(sender_id=user.pk) | Q(recipient__user_id=user.pk)).delete()


# Applications to join Q ------------------------------------------------------------------------


def _decision(application: Application) -> dict | None:
    if application.released_at is None:
        return None  # a decision is the applicant's only once it is released
    return {
        "decision": APPLICATION_STATUS.get(application.status, application.status),
        "released_at": application.released_at,
        "feedback": application.feedback,
    }


def applications_export(user) -> list[dict]:
    applications = (
        Application.objects.filter(applicant_id=user.pk)
        .select_related("round", "course", "nomination_code")
        .prefetch_related(
            Prefetch(
                "answers",
                queryset=ApplicationAnswer.objects.select_related("criterion").order_by(
                    "criterion__position"
                ),
            )
        )
        .order_by("created_at", "id")
    )
    return [
        {
            "round": a.round.name,
            "phase": PHASE.get(a.round.phase, a.round.phase),
            "reference": a.reference or "",
            "status": APPLICATION_STATUS.get(
                application_status_for_applicant(a), application_status_for_applicant(a)
            ),
            "started_at": a.created_at,
            "submitted_at": a.submitted_at,
            "withdrawn_at": a.withdrawn_at,
            "job_title": a.job_title,
            "organisation": a.organisation,
            "type_of_organisation": ORGANISATION_TYPE.get(a.organisation_type, ""),
            "what_describes_your_role": _labels(a.role_types, ROLE_TYPE),
            "region": REGION.get(a.region, ""),
            "improvement_course": (f"{a.course.name} ({a.course.provider})" if a.course_id else ""),
            "year_you_finished_the_course": a.course_year,
            "nominated_by": (
                a.nomination_code.nominating_organisation if a.nomination_code_id else ""
            ),
            "commitments": [
                {"wording": c.get("wording", ""), "accepted_at": c.get("accepted_at", "")}
                for c in a.commitments
            ],
            "answers": [
                {"question": answer.criterion.title, "answer": answer.text}
                for answer in a.answers.all()
            ],
            "decision": _decision(a),
        }
        for a in applications
    ]


def applications_erase(user) -> None:
    """Delete drafts never submitted; on submitted applications keep the row and its decision
    but blank the answers and the job title, organisation and course year."""
    now = timezone.now()
    mine = Application.objects.filter(applicant_id=user.pk)
    mine.filter(submitted_at__isnull=True).delete()
    ApplicationAnswer.objects.filter(application__applicant_id=user.pk).update(
        text="", words=0, updated_at=now
    )
    mine.update(job_title="", organisation="", course_year=None, updated_at=now)


# Panel work ------------------------------------------------------------------------------------


def _round_type() -> ContentType:
    return ContentType.objects.get_for_model(Round)


def _round_names(round_ids) -> dict[int, str]:
    return dict(Round.objects.filter(pk__in=set(round_ids)).values_list("pk", "name"))


def panel_memberships_export(user) -> list[dict]:
    memberships = list(
        PanelMember.objects.filter(user_id=user.pk, panel__owner_type=_round_type())
        .select_related("panel")
        .order_by("added_at", "id")
    )
    rounds = _round_names(m.panel.owner_id for m in memberships)
    return [
        {
            "round": rounds.get(m.panel.owner_id, ""),
            "panel": m.panel.name,
            "role": PANEL_ROLE.get(m.role, m.role),
            "organisation": m.organisation,
            "added_at": m.added_at,
        }
        for m in memberships
    ]


def panel_memberships_erase(user) -> None:
    """Take the person off panels of rounds whose decisions are not yet released; on panels
    of released rounds keep the place (who decided) but not the organisation."""
    unfinished_rounds = Round.objects.exclude(status=RoundStatus.RELEASED).values("pk")
    mine = PanelMember.objects.filter(user_id=user.pk, panel__owner_type=_round_type())
    mine.filter(panel__owner_id__in=unfinished_rounds).delete()
    mine.exclude(organisation="").update(organisation="")


def panel_reviews_export(user) -> list[dict]:
    assignments = reviewer_assignments(
        user=user,
        owner_type=_round_type(),
        subject_type=ContentType.objects.get_for_model(Application),
    )
    rounds = _round_names(a.panel.owner_id for a in assignments)
    references = dict(
        Application.objects.filter(pk__in={a.subject_id for a in assignments}).values_list(
            "pk", "reference"
        )
    )
    return [
        {
            "round": rounds.get(a.panel.owner_id, ""),
            "panel": a.panel.name,
            "application": references.get(a.subject_id) or "",
            **reviewer_assignment_record(a),
        }
        for a in assignments
    ]


def panel_reviews_erase(user) -> None:
    """Withdraw the reviews still to do, so staff can give them to another reviewer (each
    withdrawal audited, by the system). Submitted reviews and declared conflicts stay."""
    assignments_withdraw_for_reviewer(user=user, owner_type=_round_type())


def panel_decisions_export(user) -> list[dict]:
    """Decisions the person recorded as a panel chair: the application's reference only, never
    the applicant's name."""
    decided = (
        Application.objects.filter(decided_by_id=user.pk)
        .select_related("round")
        .order_by("decided_at", "id")
    )
    return [
        {
            "round": a.round.name,
            "application": a.reference or "",
            "decision": APPLICATION_STATUS.get(a.status, a.status),
            "recorded_at": a.decided_at,
            "rationale_for_the_panel": a.decision_rationale,
            "feedback_for_the_applicant": a.feedback,
            "released_at": a.released_at,
        }
        for a in decided
    ]


register(
    PersonalData(
        key="members.profile",
        label="Your directory entry",
        on_delete="Deleted, with its photo, topics and links. It no longer appears in the "
        "directory.",
        export=profile_export,
        erase=profile_erase,
        order=20,
    )
)
register(
    PersonalData(
        key="members.coffee",
        label="Random coffee: whether you take part and who you were paired with",
        on_delete="You are taken out of random coffee. People you were paired with still see "
        'the pairing in their history, with your name shown as "Former member".',
        export=coffee_export,
        erase=coffee_erase,
        order=22,
    )
)
register(
    PersonalData(
        key="members.contact",
        label="Messages you sent to other members through the site, and who sent messages to you",
        on_delete="Deleted. Messages already emailed to other members stay in their inboxes.",
        export=contact_export,
        erase=contact_erase,
        order=24,
    )
)
register(
    PersonalData(
        key="members.applications",
        label="Your applications to join Q, with your answers and any decision sent to you",
        on_delete="Drafts you never submitted are deleted. For applications you submitted, we "
        "keep the decision and the reference, and delete your answers, job title and "
        "organisation.",
        export=applications_export,
        erase=applications_erase,
        order=30,
    )
)
register(
    PersonalData(
        key="members.panel_memberships",
        label="Panels you sit on to review applications to join Q",
        on_delete="You are taken off panels whose decisions have not been released yet. On "
        'other panels your place stays, shown as "Former member", without your organisation.',
        export=panel_memberships_export,
        erase=panel_memberships_erase,
        order=34,
    )
)
register(
    PersonalData(
        key="members.panel_reviews",
        label="Reviews you wrote of applications to join Q, with your scores, comments and "
        "any conflicts of interest you declared",
        on_delete="Reviews you submitted and conflicts you declared stay, so decisions stay "
        'fair, shown as by "Former member". Reviews you had not finished are given back to '
        "the panel for someone else to do.",
        export=panel_reviews_export,
        erase=panel_reviews_erase,
        order=36,
    )
)
register(
    PersonalData(
        key="members.panel_decisions",
        label="Decisions you recorded as a panel chair on applications to join Q",
        on_delete='They stay as the record of each decision, shown as recorded by "Former member".',
        export=panel_decisions_export,
        order=38,
    )
)
