"""Releasing a round's decisions to its applicants, and making accepted applicants members.

Decisions are recorded by panel chairs in the weeks before; applicants hear nothing until the
round's release date, when a scheduled task (`members.tasks.joining_release_due`, every minute)
releases every decision of the round together, or until staff release them now, which moves the
release date to now first. Emails carry the decision, the chair's feedback and dates: never
scores, recommendations or reviewer names."""

import datetime as dt

from django.conf import settings
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import ngettext

from qcommunity.accounts.enums import Role
from qcommunity.accounts.services import role_grant
from qcommunity.audit.services import audit_record, audit_record_many
from qcommunity.core.errors import require_perm
from qcommunity.core.formatting import uk_datetime
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.services import email_queue_template

from .enums_joining import DECIDED_STATUSES, UNDECIDED_STATUSES, ApplicationStatus, RoundStatus
from .models import Profile
from .models_joining import Application, Round
from .selectors_release import NextRound, apply_again_text, next_round_for_region
from .services import profile_create, profile_refresh_search
from .services_joining import JoiningError, round_transition

# Facts of an application that pre-fill the directory entry of an accepted applicant.
PROFILE_FACTS = ("job_title", "organisation", "organisation_type", "role_types", "region")

ACCEPTED_EMAIL = "application_accepted"
NOT_YET_EMAIL = "application_not_yet"


def _undecided_refusal(round_: Round, undecided: int) -> JoiningError:
    return JoiningError(
        f"Decisions for {round_.name} cannot be released: "
        + ngettext(
            "%(num)d application is still waiting for a decision.",
            "%(num)d applications are still waiting for a decision.",
            undecided,
        )
        % {"num": undecided}
    )


@transaction.atomic
def round_release_decisions_now(*, actor, round_: Round, now: dt.datetime | None = None) -> int:
    """Staff release a round's decisions now instead of waiting for its release date; returns
    how many were released. Rules:
    - staff who manage rounds only;
    - only once every decision is recorded: the round is marked decided and no application is
      still submitted or in review (else a JoiningError saying what is missing);
    - a round already released is refused with a message and nothing is sent again;
    - the release date moves to now (and the closing date and review deadline too, where they
      are later, so the dates stay in order), audited as `join_round.release_now` with the old
      and new dates, so every page and email tells when decisions really went out;
    - then the decisions are released exactly as on the release date
      (`round_release_decisions`, one email per applicant), recorded as done by `actor`."""
    require_perm(actor, "members.manage_rounds", error=JoiningError)
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.RELEASED:
        raise JoiningError(f"Decisions for {round_.name} have already been released.")
    if round_.status != RoundStatus.DECIDED:
        raise JoiningError(
            f"Decisions for {round_.name} cannot be released yet: every decision must be "
            "recorded and the round marked as decided first."
        )
    undecided = round_.applications.filter(status__in=UNDECIDED_STATUSES).count()
    if undecided:
        raise _undecided_refusal(round_, undecided)
    if round_.opens_at >= now:
        raise JoiningError(f"{round_.name} has not opened yet, so nothing can be released.")
    changes = {}
    for name in ("closes_at", "review_deadline", "decisions_release_at"):
        old = getattr(round_, name)
        if old > now or name == "decisions_release_at":
            changes[name] = {"from": old.isoformat(), "to": now.isoformat()}
            setattr(round_, name, now)
    round_.updated_at = now
    round_.save(update_fields=[*changes, "updated_at"])
    audit_record(actor=actor, action="join_round.release_now", target=round_, data=changes)
    return round_release_decisions(round_=round_, now=now, actor=actor)


@transaction.atomic
def round_release_decisions(*, round_: Round, now: dt.datetime | None = None, actor=None) -> int:
    """Release every decision of `round_` to its applicants; returns how many were released.
    Taken by the system (the scheduled task, `actor` None) on the release date, or through
    `round_release_decisions_now` by staff (`actor`, recorded on the audit rows). Rules:
    - the round row is locked, so two runs at once release once;
    - refused (JoiningError) unless the round's decisions are marked recorded (status
      "decided"), its release date has come, and no application is still submitted or in
      review;
    - a round already released releases nothing and sends nothing (a second run returns 0);
    - each decided application gets `released_at` and an audit row; the round moves to
      "released" through `round_transition`;
    - an accepted applicant becomes a member: the member role, and a directory entry created
      hidden and pre-filled from the application or, if they have one, only its empty fields
      filled in. Its visibility never changes;
    - one email per applicant through the outbox (sent after commit): a welcome with first steps,
      or the chair's feedback and when they can apply again;
    - an applicant who has deleted their account has their decision released (on record) but
      is neither made a member nor emailed."""
    now = now or timezone.now()
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    if round_.status == RoundStatus.RELEASED:
        return 0
    if round_.status != RoundStatus.DECIDED:
        raise JoiningError(
            f"Decisions for {round_.name} cannot be released while the round is at "
            f"\u201c{round_.get_status_display()}\u201d. Every decision must be recorded and "
            "the round marked as decided first."
        )
    if now < round_.decisions_release_at:
        raise JoiningError(
            f"Decisions for {round_.name} are released on "
            f"{uk_datetime(round_.decisions_release_at)}, not before."
        )
    undecided = round_.applications.filter(status__in=UNDECIDED_STATUSES).count()
    if undecided:
        raise _undecided_refusal(round_, undecided)
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(round=round_, status__in=DECIDED_STATUSES, released_at__isnull=True)
        .select_related("applicant")
        .order_by("id")
    )
    Application.objects.filter(pk__in=[a.pk for a in applications]).update(
        released_at=now, updated_at=now
    )
    for application in applications:
        application.released_at = application.updated_at = now
    audit_record_many(
        actor=actor,
        action="application.release",
        entries=[(a, {"status": a.status, "round": round_.pk}) for a in applications],
    )
    round_transition(actor=actor, round_=round_, action="release", now=now)

    # An applicant who has deleted their account keeps their decision on record, but is not
    # made a member (a "Former member" tombstone has no roles) and is sent nothing.
    live = [a for a in applications if a.applicant.deleted_at is None]
    accepted = [a for a in live if a.status == ApplicationStatus.ACCEPTED]
    for application in accepted:
        _make_member(application)
    next_rounds: dict[str, NextRound | None] = {}
    for application in live:
        if application.status == ApplicationStatus.ACCEPTED:
            _email_accepted(application, round_)
        else:
            region = application.region
            if region not in next_rounds:
                next_rounds[region] = (
                    next_round_for_region(region, now=now, exclude_round_id=round_.pk)
                    if region
                    else None
                )
            _email_not_yet(application, round_, next_rounds[region])
    return len(applications)


def _make_member(application: Application) -> Profile:
    """The member role and a directory entry pre-filled from the application (see
    `round_release_decisions`)."""
    applicant = application.applicant
    role_grant(user=applicant, role=Role.MEMBER, actor=None)
    facts = {name: getattr(application, name) for name in PROFILE_FACTS}
    profile = Profile.objects.select_for_update().filter(user=applicant).first()
    if profile is None:
        profile = profile_create(
            user=applicant, actor=None, **{k: v for k, v in facts.items() if v}
        )
        audit_record(
            actor=None,
            action="profile.prefill",
            target=profile,
            data={"application": application.pk, "fields": [k for k, v in facts.items() if v]},
        )
        return profile
    filled = [name for name, value in facts.items() if value and not getattr(profile, name)]
    if filled:
        for name in filled:
            setattr(profile, name, facts[name])
        update = [*filled, "updated_at"]
        if "region" in filled:
            profile.nation = Region(profile.region).nation
            update.append("nation")
        profile.updated_at = timezone.now()
        profile.save(update_fields=update)
        profile_refresh_search(profile_ids=[profile.pk])
        audit_record(
            actor=None,
            action="profile.prefill",
            target=profile,
            data={"application": application.pk, "fields": filled},
        )
    return profile


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def _base_context(application: Application, round_: Round) -> dict:
    return {
        "name": application.applicant.display_name,
        "reference": application.reference,
        "round_name": round_.name,
        "application_url": _absolute(
            reverse("joining:application-detail", kwargs={"pk": application.pk})
        ),
    }


def _email_accepted(application: Application, round_: Round) -> None:
    email_queue_template(
        to=application.applicant.email,
        kind=ACCEPTED_EMAIL,
        related=application,
        context={
            **_base_context(application, round_),
            "profile_url": _absolute(reverse("me:profile-edit")),
            "notifications_url": _absolute(reverse("notifications:preferences")),
            "directory_url": _absolute(reverse("directory:search")),
            "home_url": _absolute(reverse("core:home")),
        },
    )


def _email_not_yet(application: Application, round_: Round, next_round: NextRound | None) -> None:
    email_queue_template(
        to=application.applicant.email,
        kind=NOT_YET_EMAIL,
        related=application,
        context={
            **_base_context(application, round_),
            "feedback": application.feedback,
            "apply_again": apply_again_text(next_round, application.region_label),
            "join_url": _absolute(reverse("joining:landing")),
        },
    )
