"""Q Exchange shortlisting as a kind of panel for the shared workspace
(`qcommunity.scoring.kinds`): volunteer members score the round's proposals, never one their own
team wrote. The chair's page is the panel's overview, which moderators open too: beside the
scores it shows each proposal's engagement and links to the decision page, where moderators
record shortlisting and funding decisions (`exchange.decisions`)."""

from django.urls import reverse
from django.utils.html import format_html

from qcommunity.core.formatting import uk_datetime
from qcommunity.scoring.enums import PanelRole, Recommendation
from qcommunity.scoring.kinds import PanelKind
from qcommunity.scoring.selectors import set_subjects

from ..proposals.models import Proposal
from ..rounds.models import Round
from ..rounds.services import ExchangeError
from .forms import PanelCreateForm
from .notifications import EXCHANGE_REVIEW_ASSIGNMENT
from .selectors import panel_proposals, proposal_exclusion, proposals_to_shortlist_count


class ProposalPanels(PanelKind):
    subject_noun = "proposal"
    subject_noun_plural = "proposals"
    template_dir = "exchange/shortlist"
    workspace_permission = "exchange.use_shortlisting"
    staff_permission = "exchange.manage_rounds"
    error = ExchangeError
    recommendation_words = {
        Recommendation.SUPPORT: "Shortlist",
        Recommendation.UNSURE: "Unsure: discuss at the panel",
        Recommendation.OPPOSE: "Do not shortlist",
    }
    role_choices = (
        (PanelRole.REVIEWER, "Reviewer: scores the proposals given to them"),
        (PanelRole.CHAIR, "Chair: sees every score and the panel's overview"),
    )
    conflict_question = "Do you have a conflict of interest with this proposal or its team?"
    conflict_examples = (
        "For example, you work closely with someone in the team, manage them, or would gain "
        "personally or financially if it were funded."
    )
    panels_title = "Your Q Exchange panels"
    panels_intro = (
        "The shortlisting panels you sit on. Open a panel to see the proposals given to you."
    )
    no_panels = "You are not on a Q Exchange panel."
    exclusion_words = (
        "Nobody is given a proposal their own team wrote, or one they declared a conflict of "
        "interest with."
    )
    chair_title = "Overview"
    chair_path = "overview"
    url_names = {
        "panel-list": "exchange:shortlist-panels",
        "panel": "exchange:shortlist-panel",
        "assignment": "exchange:shortlist-assignment",
        "review": "exchange:shortlist-review",
        "chair": "exchange:shortlist-overview",
        "staff-panels": "exchange-staff:round-panels",
        "staff-panel": "exchange-staff:panel-detail",
        "distribute": "exchange-staff:panel-distribute",
        "reassign": "exchange-staff:assignment-reassign",
    }
    owner_kwarg = "pk"
    owner_model = Round
    subject_model = Proposal

    # Subjects ----------------------------------------------------------------------------

    def attach_subjects(self, assignments):
        assignments = list(assignments)
        proposals = Proposal.objects.select_related("round", "theme").in_bulk(
            {a.subject_id for a in assignments}
        )
        return set_subjects(assignments, proposals)

    def subject_for_review(self, assignment):
        return (
            Proposal.objects.select_related("round", "theme", "lead")
            .prefetch_related("answers__section")
            .get(pk=assignment.subject_id)
        )

    def subject_name(self, subject) -> str:
        return subject.title

    def review_heading(self, subject) -> str:
        return f"Review \u201c{subject.title}\u201d"

    def subject_context(self, subject, criteria) -> dict:
        return {"answers": list(subject.answers.all())}

    def conflict_context(self, subject) -> dict:
        return {"team": list(subject.team.select_related("user"))}

    def exclusion(self, panel, subject_ids):
        return proposal_exclusion(subject_ids)

    # Emails ------------------------------------------------------------------------------

    notification_kind = EXCHANGE_REVIEW_ASSIGNMENT
    given_template = "exchange/notifications/review_assignment.txt"
    handed_over_template = "exchange/notifications/review_reassign.txt"
    invitation_email = "exchange_panel_invitation"

    def given_subject(self, count: int) -> str:
        return f"{count} Q Exchange proposal{'' if count == 1 else 's'} given to you to review"

    def handed_over_subject(self, subject) -> str:
        return f"\u201c{subject.title}\u201d given to you to review"

    def invitation_context(self, owner, member) -> dict:
        return {"proposals_close_at": uk_datetime(owner.proposals_close_at)}

    # The chair (and moderators) ----------------------------------------------------------

    def may_open_chair(self, user, panel) -> bool:
        return user.has_perm("exchange.decide_proposal") or user.has_perm(
            "scoring.chair_panel", panel
        )

    def chair_subjects(self, panel):
        return panel_proposals(panel)

    def chair_context(self, request, panel, subjects) -> dict:
        return {
            "voting_closed": panel.round.voting_closed(),
            "can_decide": request.user.has_perm("exchange.decide_proposal"),
        }

    def chair_link(self, proposal, panel, context) -> str:
        link = format_html(
            '<a href="{}">{}</a>',
            reverse("exchange:proposal-detail", args=[proposal.slug]),
            proposal.title,
        )
        if not context["can_decide"]:
            return link
        return format_html(
            '{}<br><a class="nhsuk-body-s" href="{}">Record a decision<span '
            'class="nhsuk-u-visually-hidden"> on {}</span></a>',
            link,
            reverse("exchange:proposal-decide", args=[proposal.slug]),
            proposal.title,
        )

    def chair_columns(self, context) -> list[dict]:
        names = ["Comments", "Team replies", "Edits after feedback"]
        if context["voting_closed"]:
            names += ["Supporters", "Votes"]
        return [{"text": name, "format": "numeric"} for name in names] + [{"text": "Stage"}]

    def chair_cells(self, proposal, context) -> list[dict]:
        figures = [proposal.n_comments_received, proposal.n_team_replies]
        figures.append(proposal.n_edits_after_feedback)
        if context["voting_closed"]:
            figures += [proposal.n_supporters, proposal.n_votes]
        cells = [{"text": str(n), "format": "numeric"} for n in figures]
        return [*cells, {"text": proposal.get_stage_display()}]

    # Staff -------------------------------------------------------------------------------

    def owner_get(self, pk: int):
        return Round.objects.prefetch_related("themes", "sections").get(pk=pk)

    staff_panels_title = "Shortlisting panels"
    panel_create_heading = "Create a panel"
    panel_create_button = "Create the panel"

    def panel_form(self, owner, panels, data=None):
        return PanelCreateForm(data)

    def panel_create(self, *, actor, owner, data):
        from .services import shortlist_panel_create

        return shortlist_panel_create(
            actor=actor, round_=owner, name=data["name"], reviews_needed=data["reviews_needed"]
        )

    def staff_panels_context(self, owner, panels) -> dict:
        from .services import shortlisting_started

        return {
            "can_create": owner.scheme_id is not None,
            "started": shortlisting_started(owner),
            "proposal_count": proposals_to_shortlist_count(owner),
        }

    def distribute(self, *, actor, panel):
        from .services import proposal_assignments_distribute

        return proposal_assignments_distribute(actor=actor, panel=panel)

    def reassign(self, *, actor, assignment, to_user):
        from .services import proposal_assignment_reassign

        return proposal_assignment_reassign(actor=actor, assignment=assignment, to_user=to_user)


PROPOSAL_PANELS = ProposalPanels()
