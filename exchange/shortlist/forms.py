"""Forms of Q Exchange shortlisting: the round's criteria and scale, panels and their members,
and the reviewer's conflict question and scores. They check the shape of what was sent; the
services check the rules and say why in words."""

from django import forms

from members.panels.forms import ReassignForm, ReviewForm
from qcommunity.scoring.enums import PanelRole, Recommendation
from qcommunity.scoring.services import CriterionSpec, ScalePointSpec

CRITERIA_ROWS = 6
SCALE_ROWS = 6

# A starting scale for a round's first criteria (staff can change every word).
DEFAULT_SCALE = [
    ScalePointSpec(0, "Not shown", "The proposal does not address this."),
    ScalePointSpec(1, "Weak", "Addressed, but with little detail or evidence."),
    ScalePointSpec(2, "Adequate", "Addressed clearly, with some evidence."),
    ScalePointSpec(3, "Strong", "Addressed convincingly, with good evidence."),
    ScalePointSpec(4, "Excellent", "Addressed exceptionally well; a model for others."),
]

RECOMMENDATION_WORDS = {
    Recommendation.SUPPORT: "Shortlist",
    Recommendation.UNSURE: "Unsure: discuss at the panel",
    Recommendation.OPPOSE: "Do not shortlist",
}


class CriteriaForm(forms.Form):
    """Up to `CRITERIA_ROWS` criteria (title and what it means) and `SCALE_ROWS` scale points
    (score, label, what it means). Empty rows are left out."""

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        for i in range(1, CRITERIA_ROWS + 1):
            self.fields[f"criterion_{i}_title"] = forms.CharField(
                label=f"Criterion {i}", required=False, max_length=200, disabled=locked
            )
            self.fields[f"criterion_{i}_description"] = forms.CharField(
                label=f"What criterion {i} means",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                disabled=locked,
            )
        for i in range(1, SCALE_ROWS + 1):
            self.fields[f"scale_{i}_value"] = forms.IntegerField(
                label=f"Score {i}",
                required=False,
                min_value=0,
                max_value=100,
                disabled=locked,
                error_messages={
                    "invalid": "Enter a whole number",
                    "min_value": "Enter a score of 0 or more",
                    "max_value": "Enter a score of 100 or less",
                },
            )
            self.fields[f"scale_{i}_label"] = forms.CharField(
                label=f"Label for score {i}", required=False, max_length=100, disabled=locked
            )
            self.fields[f"scale_{i}_descriptor"] = forms.CharField(
                label=f"What score {i} means",
                required=False,
                max_length=2000,
                disabled=locked,
            )

    @classmethod
    def initial_for(cls, scheme) -> dict:
        initial = {}
        if scheme is None:
            criteria, scale = [], DEFAULT_SCALE
        else:
            criteria = list(scheme.criteria.all())
            scale = list(scheme.scale_points.all())
        for i, c in enumerate(criteria, start=1):
            initial[f"criterion_{i}_title"] = c.title
            initial[f"criterion_{i}_description"] = c.description
        for i, p in enumerate(scale, start=1):
            initial[f"scale_{i}_value"] = p.value
            initial[f"scale_{i}_label"] = p.label
            initial[f"scale_{i}_descriptor"] = p.descriptor
        return initial

    def clean(self):
        data = super().clean()
        for i in range(1, CRITERIA_ROWS + 1):
            title = (data.get(f"criterion_{i}_title") or "").strip()
            description = (data.get(f"criterion_{i}_description") or "").strip()
            if description and not title:
                self.add_error(f"criterion_{i}_title", f"Enter a title for criterion {i}")
            if title and not description:
                self.add_error(
                    f"criterion_{i}_description", f"Say what criterion {i} means for reviewers"
                )
        for i in range(1, SCALE_ROWS + 1):
            value = data.get(f"scale_{i}_value")
            label = (data.get(f"scale_{i}_label") or "").strip()
            descriptor = (data.get(f"scale_{i}_descriptor") or "").strip()
            if (label or descriptor) and value is None and f"scale_{i}_value" not in self.errors:
                self.add_error(f"scale_{i}_value", f"Enter score {i}")
            if value is not None and not label:
                self.add_error(f"scale_{i}_label", f"Enter a label for score {i}")
            if value is not None and not descriptor:
                self.add_error(f"scale_{i}_descriptor", f"Say what score {i} means")
        return data

    def criteria(self) -> list[CriterionSpec]:
        data = self.cleaned_data
        return [
            CriterionSpec(
                data[f"criterion_{i}_title"].strip(), data[f"criterion_{i}_description"].strip()
            )
            for i in range(1, CRITERIA_ROWS + 1)
            if (data.get(f"criterion_{i}_title") or "").strip()
        ]

    def scale(self) -> list[ScalePointSpec]:
        data = self.cleaned_data
        return [
            ScalePointSpec(
                data[f"scale_{i}_value"],
                data[f"scale_{i}_label"].strip(),
                data[f"scale_{i}_descriptor"].strip(),
            )
            for i in range(1, SCALE_ROWS + 1)
            if data.get(f"scale_{i}_value") is not None
        ]


class PanelCreateForm(forms.Form):
    name = forms.CharField(
        label="Panel name",
        max_length=200,
        help_text="For example, Shortlisting panel A.",
        error_messages={"required": "Enter a name for the panel"},
    )
    reviews_needed = forms.TypedChoiceField(
        label="Reviewers per proposal",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        initial=2,
        error_messages={"invalid_choice": "Choose from 1 to 5 reviewers per proposal"},
    )


class PanelMemberInviteForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="They must already have an account on this site.",
        error_messages={
            "required": "Enter the email address of the person to add",
            "invalid": "Enter an email address in the correct format, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="Role on the panel",
        choices=[
            (PanelRole.REVIEWER, "Reviewer: scores the proposals given to them"),
            (PanelRole.CHAIR, "Chair: sees every score and the panel's overview"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role on the panel"},
    )


class ConflictForm(forms.Form):
    has_conflict = forms.ChoiceField(
        label="Do you have a conflict of interest with this proposal or its team?",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        help_text="For example, you work closely with someone in the team, manage them, or "
        "would gain personally or financially if it were funded.",
        error_messages={"required": "Say whether you have a conflict of interest"},
    )
    reason = forms.CharField(
        label="If yes, what is the conflict?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Staff and the panel chair see this. The proposal will go to another reviewer.",
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") == "yes" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say briefly what the conflict is")
        return data


class ProposalReviewForm(ReviewForm):
    """The kit's review form (a score and comment per criterion, a recommendation, an overall
    comment) in the words of shortlisting."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recommendation"].choices = list(RECOMMENDATION_WORDS.items())

    def recommendation_label(self) -> str:
        return RECOMMENDATION_WORDS.get(self.cleaned_data.get("recommendation"), "")


class ProposalReassignForm(ReassignForm):
    """Whom staff give an unfinished review to: only reviewers who may take it are offered,
    so a choice not in the list is one that stopped being possible (they were given the
    proposal or declared a conflict meanwhile, or left the panel)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].error_messages["invalid_choice"] = (
            "The reviewer you chose can no longer take this review. Choose another reviewer "
            "from the list"
        )
