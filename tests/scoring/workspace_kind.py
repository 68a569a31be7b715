"""A third kind of panel, written the way programme team selection will be: a `PanelKind` and
its routes, nothing copied. People (accounts) are its subjects and a scheme owns its panels,
as in the kit's own tests; the kit's plain templates show them. Mounted by `test_workspace`
through this module as the URLconf."""

from django import forms
from django.contrib.auth import get_user_model
from django.urls import include, path
from django.utils.html import format_html

from qcommunity.scoring import urls as workspace
from qcommunity.scoring.kinds import PanelKind
from qcommunity.scoring.models import Scheme
from qcommunity.scoring.selectors import set_subjects
from qcommunity.scoring.services import panel_create, workspace_distribute

User = get_user_model()

# Whose applications the panels score: accounts at this domain.
APPLICANTS = "@applicants.example"


class PanelForm(forms.Form):
    name = forms.CharField(label="Panel name", max_length=200)


class PeoplePanels(PanelKind):
    subject_noun = "person"
    subject_noun_plural = "people"
    workspace_permission = "members.use_panel_workspace"
    notification_kind = "panel_assignment"
    panels_title = "Your selection panels"
    url_names = {
        "panel-list": "kit:panel-list",
        "panel": "kit:panel",
        "assignment": "kit:assignment",
        "review": "kit:review",
        "chair": "kit:chair",
        "staff-panels": "kit-staff:panel-list",
        "staff-panel": "kit-staff:panel",
        "distribute": "kit-staff:distribute",
        "reassign": "kit-staff:reassign",
    }
    owner_model = Scheme
    subject_model = User

    def attach_subjects(self, assignments):
        assignments = list(assignments)
        return set_subjects(assignments, User.objects.in_bulk({a.subject_id for a in assignments}))

    def subject_for_review(self, assignment):
        return User.objects.get(pk=assignment.subject_id)

    def subject_name(self, subject) -> str:
        return subject.get_full_name()

    def exclusion(self, panel, subject_ids):
        return lambda reviewer_id, subject_id: reviewer_id == subject_id

    def chair_subjects(self, panel):
        return list(User.objects.filter(email__endswith=APPLICANTS).order_by("pk"))

    def chair_link(self, subject, panel, context) -> str:
        return format_html("<strong>{}</strong>", subject.get_full_name())

    def panel_form(self, owner, panels, data=None):
        return PanelForm(data)

    def panel_create(self, *, actor, owner, data):
        return panel_create(actor=actor, scheme=owner, owner=owner, name=data["name"])

    def distribute(self, *, actor, panel):
        return workspace_distribute(
            self, actor=actor, panel=panel, subjects=self.chair_subjects(panel)
        )


PEOPLE_PANELS = PeoplePanels()

urlpatterns = [
    path("", include("qcommunity.urls")),
    path("kit/", include((workspace.reviewer_urlpatterns(PEOPLE_PANELS), "kit"))),
    path(
        "kit-staff/<int:round>/panels/",
        include((workspace.staff_urlpatterns(PEOPLE_PANELS), "kit-staff")),
    ),
]
