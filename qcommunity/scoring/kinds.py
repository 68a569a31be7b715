"""What one kind of panel supplies to the shared panel workspace.

The workspace (`scoring.views`, `scoring.forms`, the kind-aware services and selectors, the
templates in `templates/scoring/`) is written once: the reviewer's list of panels and
assignments, the conflict question, the blind review form and its check step, the chair's
table (spread, largest disagreements first), the staff panel page, sharing out and
reassignment. A consumer (joining Q's regional panels, Q Exchange shortlisting, later
programme team selection) subclasses `PanelKind` in its own feature package and passes the
instance to the views with `View.as_view(kind=...)` in its `urls.py`. It supplies only what
differs: what the subject is and how it is shown, who is excluded from it, which emails go out,
the words and the addresses. The kit never imports a consumer."""

from abc import ABC, abstractmethod
from collections.abc import Mapping

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse

from qcommunity.core.errors import ServiceError

from .enums import PanelRole, Recommendation
from .services import workspace_reassign


class PanelKind(ABC):
    """One kind of panel. Class attributes name the words, permissions, forms and addresses;
    methods are the hooks. Instances hold no state, so one module-level instance serves every
    request."""

    # Words: "application", "proposal".
    subject_noun = "subject"
    subject_noun_plural = "subjects"
    # The folder of this kind's templates. Its `_subject.jinja` holds the macros the kit's pages
    # import to show the subject (conflict_facts, content, owner_status, panel_list_after,
    # chair_back, chair_intro, staff_distribute); a page there named as one in
    # `templates/scoring/` is used instead of the kit's.
    template_dir = "scoring"
    # The reviewer's list of panels, and the staff panel page's rule in words.
    panels_title = "Your panels"
    panels_intro = ""
    no_panels = "You are not on any panel."
    exclusion_words = ""
    # The conflict question and its examples, before the reviewer reads the subject.
    conflict_question = "Do you have a conflict of interest with this?"
    conflict_examples = ""
    # Who may open the reviewer pages, and the staff pages.
    workspace_permission = ""
    staff_permission = "scoring.manage_panels"
    # Whether staff reach every panel's reviewer pages (as on joining's panels) or only the
    # panels they sit on (Exchange's: the panel's pages are its own).
    staff_open_member_pages = False
    # Score, check, then submit (True); or submit straight from the form (False).
    check_step = False
    # The service error this kind's pages and services speak (kit refusals are re-raised as it).
    error: type[ServiceError] = ServiceError
    # A reviewer's recommendation in this kind's words (the stored values are the kit's).
    recommendation_words: Mapping[str, str] = dict(Recommendation.choices)
    # Role choices offered when staff add someone to a panel.
    role_choices = (
        (PanelRole.REVIEWER, "Reviewer: scores what is given to them"),
        (PanelRole.CHAIR, "Chair: sees every score"),
    )
    # Whether staff give a panel member's organisation (subjects from it are excluded).
    asks_organisation = False
    # The address names of the pages, by the kit's page names: "panel-list", "panel",
    # "assignment", "review", "check" (with `check_step`), "chair", "staff-panels",
    # "staff-panel", "distribute", "reassign".
    url_names: Mapping[str, str] = {}
    # The last part of the chair's page address ("/panels/<pk>/chair/").
    chair_path = "chair"
    # The staff pages' URL keyword that holds the owner's id.
    owner_kwarg = "round"
    # The models the panels belong to and score.
    owner_model: type[models.Model]
    subject_model: type[models.Model]

    # Addresses and templates ---------------------------------------------------------------

    def url(self, page: str, *args) -> str:
        return reverse(self.url_names[page], args=args)

    def template(self, page: str) -> list[str]:
        """This kind's page if it has one, else the kit's."""
        return [f"{self.template_dir}/{page}.jinja", f"scoring/{page}.jinja"]

    def owner_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.owner_model)

    def subject_type(self) -> ContentType:
        return ContentType.objects.get_for_model(self.subject_model)

    def owner_get(self, pk: int) -> models.Model:
        """The owner for the staff pages (DoesNotExist otherwise)."""
        return self.owner_model.objects.get(pk=pk)

    def attach_owners(self, panels) -> None:
        """Each panel with `.round`: the owner it scores for. One query."""
        panels = list(panels)
        owners = self.owner_model.objects.in_bulk({p.owner_id for p in panels})
        for panel in panels:
            panel.round = owners.get(panel.owner_id)

    # Subjects ----------------------------------------------------------------------------

    @abstractmethod
    def attach_subjects(self, assignments) -> list:
        """The assignments as a list, each with `.subject` set (one query): for lists."""

    @abstractmethod
    def subject_for_review(self, assignment):
        """The assignment's subject with everything the review pages show (its content)."""

    @abstractmethod
    def subject_name(self, subject) -> str:
        """How the subject is named in messages and tables ("Q-2026-0004", a title)."""

    def subject_heading(self, subject) -> str:
        """The subject as a page's heading ("Application Q-2026-0004", a title)."""
        return self.subject_name(subject)

    def review_heading(self, subject) -> str:
        """The heading of the scoring form's page."""
        return f"Review {self.subject_noun} {self.subject_name(subject)}"

    @abstractmethod
    def exclusion(self, panel, subject_ids):
        """A function of (reviewer user id, subject id), True for a pair never assigned on
        `panel` among `subject_ids`: someone from the applicant's organisation, someone on the
        proposal's team. Declared conflicts are the kit's own and need not be given."""

    def subject_context(self, subject, criteria) -> dict:
        """What the review pages need to show the subject's content (answers by criterion,
        facts), beside `subject`, `criteria`, `panel` and `assignment`."""
        return {}

    def conflict_context(self, subject) -> dict:
        """What the conflict question shows about the subject before it is read (who it is
        from), beside `subject`."""
        return {}

    def default_organisation(self, user) -> str:
        """Where a panel member works when staff leave it empty."""
        return ""

    # Emails ------------------------------------------------------------------------------
    # Reviewers are told (as they chose for `notification_kind`) when work is given to them,
    # once per sharing out with how many (`given_template`, context: count, panel, round), and
    # when they take over someone else's review (`handed_over_template`, context: the subject
    # under `subject_noun`, panel). People put on a panel get the `invitation_email`.

    # A kind the consumer registers in its `notifications.py` (members choose how it reaches
    # them); the templates and email below are the kit's plain wording until a kind has its own.
    notification_kind = ""
    given_template = "scoring/notifications/review_assignment.txt"
    handed_over_template = "scoring/notifications/review_handed_over.txt"
    invitation_email = "scoring_panel_invitation"

    def given_subject(self, count: int) -> str:
        """The subject line telling a reviewer `count` subjects were given to them."""
        noun = self.subject_noun if count == 1 else self.subject_noun_plural
        return f"{count} {noun} given to you to review"

    def handed_over_subject(self, subject) -> str:
        """The subject line telling a reviewer they took over the review of `subject`."""
        return f"{self.subject_heading(subject)} given to you to review"

    def invitation_context(self, owner, member) -> dict:
        """More for the invitation email than the kit's name, panel, round, role and address."""
        return {}

    # The chair ---------------------------------------------------------------------------

    chair_title = "Chair's workspace"

    def may_open_chair(self, user, panel) -> bool:
        """Who opens the chair's page: the panel's chair and staff (`scoring.chair_panel`)."""
        return user.has_perm("scoring.chair_panel", panel)

    @abstractmethod
    def chair_subjects(self, panel) -> list:
        """What the panel scores, in order of submission, for the chair's table."""

    def chair_context(self, request, panel, subjects) -> dict:
        """More for the chair's page (counts, flags), also passed to the hooks below."""
        return {}

    @abstractmethod
    def chair_link(self, subject, panel, context) -> str:
        """The first cell of a subject's row in the chair's table (HTML: its name, linking to
        where the chair reads it and decides)."""

    def chair_columns(self, context) -> list[dict]:
        """Headings of the kind's own columns after the scores (table macro head cells)."""
        return []

    def chair_cells(self, subject, context) -> list[dict]:
        """A subject's cells under `chair_columns` (table macro cells)."""
        return []

    # Staff -------------------------------------------------------------------------------

    staff_panels_title = "Panels"
    panel_create_heading = "Add a panel"
    panel_create_button = "Add the panel"

    @abstractmethod
    def panel_form(self, owner, panels, data=None):
        """The form staff fill in to create a panel for `owner`, whose `panels` are loaded
        (bound to `data` when sent)."""

    @abstractmethod
    def panel_create(self, *, actor, owner, data: dict):
        """Create the panel from the form's cleaned `data` (the kind's service): a `Panel`."""

    def staff_panels_context(self, owner, panels) -> dict:
        """More for the page of a round's panels (`panels` loaded): `can_create` (whether the
        form is offered), `cannot_create` (what is said instead), what the kind's macros use."""
        return {"can_create": True}

    def staff_panel_context(self, owner, panel) -> dict:
        """More for the staff panel page (whether sharing out is possible now, and so on)."""
        return {}

    def reassign(self, *, actor, assignment, to_user):
        """Give an unfinished review to someone else (the reassign page's service)."""
        return workspace_reassign(self, actor=actor, assignment=assignment, to_user=to_user)

    @abstractmethod
    def distribute(self, *, actor, panel):
        """Share out what the panel scores (the staff page's button): a `Distribution`."""
