"""What panels show on a person's staff account page (`qcommunity.people.facts`): every panel
they sit on, of any kind, with their reviews done and to do."""

from django.db.models import Count, Q

from qcommunity.people.facts import AccountFacts, AccountSection, Fact, register

from .enums import AssignmentStatus, PanelRole
from .models import PanelMember


def panels_section(user) -> AccountSection:
    seats = (
        PanelMember.objects.filter(user=user)
        .select_related("panel")
        .annotate(
            submitted=Count(
                "panel__assignments",
                filter=Q(
                    panel__assignments__reviewer=user,
                    panel__assignments__status=AssignmentStatus.SUBMITTED,
                ),
            ),
            to_do=Count(
                "panel__assignments",
                filter=Q(
                    panel__assignments__reviewer=user,
                    panel__assignments__status=AssignmentStatus.ASSIGNED,
                ),
            ),
        )
        .order_by("-panel__created_at")
    )
    facts = [
        Fact(
            seat.panel.name,
            ("Chair" if seat.role == PanelRole.CHAIR else "Reviewer")
            + f": {seat.submitted} reviews submitted, {seat.to_do} to do",
        )
        for seat in seats
    ]
    return AccountSection("Panels", facts, empty="Not on any panel.")


register(AccountFacts(key="panels", order=30, section=panels_section))
