"""What Q Exchange shows on a person's staff account page (`qcommunity.people.facts`): the
proposals whose team they are in, and how much they have taken part."""

from django.urls import reverse

from qcommunity.people.facts import AccountFacts, AccountSection, Fact, register

from .comments.models import Comment
from .proposals.models import TeamMember
from .voting.models import Ballot


def exchange_section(user) -> AccountSection:
    facts = [
        Fact(
            seat.proposal.title,
            f"{seat.get_role_display()}, {seat.proposal.round.name}, "
            f"{seat.proposal.get_stage_display().lower()}",
            reverse("exchange:proposal-detail", args=[seat.proposal.slug]),
        )
        for seat in TeamMember.objects.filter(user=user)
        .select_related("proposal__round")
        .order_by("-proposal__round__year", "proposal__title")[:20]
    ]
    comments = Comment.objects.filter(author=user).count()
    ballots = Ballot.objects.filter(voter=user).count()
    if comments or ballots:
        facts.append(Fact("Taking part", f"{comments} comments, {ballots} ballots cast"))
    return AccountSection("Q Exchange", facts, empty="Not in any proposal's team.")


register(AccountFacts(key="exchange", order=40, section=exchange_section))
