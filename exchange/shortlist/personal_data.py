"""A person's shortlisting reviews (see `exchange.personal_data`)."""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from qcommunity.privacy.registry import PersonalData, register
from qcommunity.scoring.enums import PanelRole
from qcommunity.scoring.models import PanelMember
from qcommunity.scoring.selectors import reviewer_assignment_record, reviewer_assignments
from qcommunity.scoring.services import assignments_withdraw_for_reviewer

from ..proposals.models import Proposal
from ..rounds.models import Round

PANEL_ROLE_LABELS = dict(PanelRole.choices)


# Shortlisting reviews --------------------------------------------------------------------------


def reviews_export(user) -> list[dict]:
    assignments = reviewer_assignments(
        user=user, owner_type=ContentType.objects.get_for_model(Round)
    )
    rounds = Round.objects.in_bulk({a.panel.owner_id for a in assignments})
    proposals = Proposal.objects.in_bulk({a.subject_id for a in assignments})
    records = []
    for a in assignments:
        round_ = rounds.get(a.panel.owner_id)
        proposal = proposals.get(a.subject_id)
        records.append(
            {
                "round": round_.name if round_ else "",
                "panel": a.panel.name,
                "proposal": proposal.title if proposal else "",
                **reviewer_assignment_record(a),
            }
        )
    return records


def reviews_erase(user) -> None:
    """Submitted reviews stay (every proposal was judged the same way); unfinished ones are
    withdrawn, so staff can give them to another reviewer; the person leaves the panels of rounds
    not yet decided, so no more proposals are given to them."""
    now = timezone.now()
    round_type = ContentType.objects.get_for_model(Round)
    assignments_withdraw_for_reviewer(user=user, owner_type=round_type)
    undecided = Round.objects.filter(decisions_at__gt=now).values("pk")
    PanelMember.objects.filter(
        user=user, panel__owner_type=round_type, panel__owner_id__in=undecided
    ).delete()


register(
    PersonalData(
        key="exchange.reviews",
        label="Your shortlisting reviews on Q Exchange panels: your scores and comments",
        on_delete="Reviews you submitted stay, so every proposal is judged the same way. "
        "Reviews you had not finished are given back to be reassigned, and you leave the panels "
        "of rounds not yet decided.",
        export=reviews_export,
        erase=reviews_erase,
        order=45,
    )
)
