"""Shortlisting and funding decisions on proposals, told to their teams, and the progress
updates funded teams post on their proposal page."""

from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from qcommunity.accounts.models import User
from qcommunity.audit.services import audit_record
from qcommunity.core.markdown import render_markdown
from qcommunity.notifications.services import notify

from ..comments.models import Comment
from ..proposals.enums import Stage
from ..proposals.models import ProgressUpdate, Proposal, TeamMember
from ..proposals.selectors import outcomes_announced
from ..proposals.services import (
    AttachmentError,
    attachment_check,
    attachment_store,
    proposal_lock,
    proposal_transition,
)
from ..rounds.services import ExchangeError, require_exchange_perm
from ..voting.models import Support
from .notifications import PROPOSAL_DECISION, PROPOSAL_PROGRESS_UPDATE

DECISION_ACTIONS = ("shortlist", "fund", "not_fund")
# Taken only once voting has closed (`proposal_transition`).
FUNDING_ACTIONS = ("fund", "not_fund")
MAX_UPDATE_FILES = 5
DECISION_WORDS = {
    "shortlist": "has been shortlisted",
    "fund": "will be funded",
    "not_fund": "will not be funded this time",
}


@transaction.atomic
def proposal_decide(*, actor, proposal: Proposal, action: str, reason: str, now=None) -> Proposal:
    """A moderator shortlists, funds or declines a proposal with a reason (the stage table's
    rules apply: see `proposal_transition`). Everyone in the team with an account is told, the
    way they chose for decisions on their proposals (straight away by email unless they changed
    it), with the reason."""
    if action not in DECISION_ACTIONS:
        raise ExchangeError("Choose shortlist, fund or do not fund.", {"action": "Choose one"})
    proposal = proposal_transition(
        actor=actor, proposal=proposal, action=action, reason=reason, now=now
    )
    url = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug})
    for member in proposal.team.select_related("user").filter(user__isnull=False):
        notify(
            user=member.user,
            kind=PROPOSAL_DECISION,
            subject=f"“{proposal.title}” {DECISION_WORDS[action]}",
            template="exchange/decisions/notifications/proposal_decision.txt",
            context={"proposal": proposal, "action": action, "reason": proposal.decision_reason},
            related=proposal,
            url=url,
        )
    return proposal


@transaction.atomic
def progress_update_post(*, actor, proposal: Proposal, title: str, body: str, files=(), now=None):
    """A funded team posts a progress update (markdown, sanitised once here), with up to
    MAX_UPDATE_FILES attachments checked like a proposal's (by content and size, served through
    the permission-checked download view). The lead and accepted co-authors only."""
    proposal = proposal_lock(proposal)
    require_exchange_perm(actor, "exchange.change_proposal", proposal)
    if proposal.stage != Stage.FUNDED:
        raise ExchangeError("Progress updates are for funded projects.")
    problems = {}
    if not title.strip():
        problems["title"] = "Enter a title"
    elif len(title.strip()) > 200:
        problems["title"] = "Title must be 200 characters or fewer"
    if not body.strip():
        problems["body"] = "Write the update"
    elif len(body) > 20000:
        problems["body"] = "The update must be 20,000 characters or fewer"
    files = [f for f in files if f]
    if len(files) > MAX_UPDATE_FILES:
        problems["file"] = f"Attach up to {MAX_UPDATE_FILES} files to one update"
    checked = []
    if "file" not in problems:
        for upload in files:
            try:
                checked.append((upload, attachment_check(upload)))
            except AttachmentError as error:
                problems["file"] = str(error)
                break
    if problems:
        raise ExchangeError("The update was not posted. Check the answers.", problems)
    fields = {"created_at": now} if now else {}
    update = ProgressUpdate.objects.create(
        proposal=proposal,
        author=actor,
        title=title.strip(),
        body=body,
        body_html=str(render_markdown(body)),
        **fields,
    )
    for upload, found in checked:
        attachment_store(actor=actor, proposal=proposal, upload=upload, found=found, update=update)
    audit_record(
        actor=actor,
        action="exchange_proposal.progress_update",
        target=proposal,
        data={"update": update.pk},
    )
    _progress_update_notify(proposal, update, now)
    return update


def progress_updates_tell_due(now=None) -> int:
    """Tell followers of the progress updates held back until their round announced its
    outcomes, once it has (each update once: it is locked and marked told in one transaction;
    an update of a proposal no longer funded is not told). Returns how many were told."""
    now = now or timezone.now()
    due = ProgressUpdate.objects.filter(
        followers_told_at__isnull=True, proposal__round__decisions_at__lte=now
    ).values_list("pk", flat=True)
    told = 0
    for pk in list(due):
        with transaction.atomic():
            update = (
                ProgressUpdate.objects.select_for_update(of=("self",))
                .select_related("proposal__round")
                .filter(pk=pk, followers_told_at__isnull=True)
                .first()
            )
            if update is None or update.proposal.stage != Stage.FUNDED:
                continue
            _progress_update_notify(update.proposal, update, now)
            told += 1
    return told


def progress_update_followers(proposal: Proposal) -> list:
    """The people told of a progress update: active accounts that support the proposal or wrote
    a comment on it that still shows (not hidden, not removed), outside its team. One query."""
    team = TeamMember.objects.filter(proposal=proposal, user__isnull=False).values("user_id")
    supporters = Support.objects.filter(proposal=proposal).values("user_id")
    commenters = Comment.objects.filter(
        proposal=proposal, hidden_at__isnull=True, removed_at__isnull=True
    ).values("author_id")
    return list(
        User.objects.filter(is_active=True)
        .filter(Q(pk__in=supporters) | Q(pk__in=commenters))
        .exclude(pk__in=team)
        .order_by("pk")
    )


def _progress_update_notify(proposal: Proposal, update: ProgressUpdate, now=None) -> None:
    """Tell the proposal's followers, each the way they chose for progress updates, and mark
    the update told. Not while the funding is still held back (`outcomes_announced`): telling
    them would announce it; `progress_updates_tell_due` tells them once it is announced."""
    if not outcomes_announced(proposal.round, now):
        return
    update.followers_told_at = now or timezone.now()
    update.save(update_fields=["followers_told_at"])
    url = reverse("exchange:proposal-detail", kwargs={"slug": proposal.slug}) + "#updates"
    for person in progress_update_followers(proposal):
        notify(
            user=person,
            kind=PROPOSAL_PROGRESS_UPDATE,
            subject=f"Progress update on “{proposal.title}”: {update.title}",
            template="exchange/decisions/notifications/progress_update.txt",
            context={"proposal": proposal, "update": update},
            related=proposal,
            url=url,
        )
