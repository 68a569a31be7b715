"""Forms of the panel workspace and staff panel management. They check the shape of what was
sent; the services check the rules (scale, status, permissions) and say why in words."""

from django import forms

from qcommunity.core.taxonomy import Region
from qcommunity.scoring.enums import PanelRole, Recommendation

# A reviewer's recommendation in the kit's own words, the same on the form, the pages, the
# decisions CSV and the audit trail. It is advice to the chair, so it is not worded as the
# decision ("Accepted" / "Not yet"), which only the chair records.
RECOMMENDATION_WORDS = dict(Recommendation.choices)


class PanelCreateForm(forms.Form):
    region = forms.ChoiceField(
        label="Region",
        error_messages={
            "required": "Choose the region the panel is for",
            "invalid_choice": "Choose a region of this round that has no panel yet",
        },
    )
    name = forms.CharField(
        label="Panel name",
        required=False,
        max_length=200,
        help_text="Leave empty to call it after the region, for example Wessex panel.",
    )

    def __init__(self, *args, regions=(), **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(Region.choices)
        self.fields["region"].choices = [("", "Choose a region")] + [
            (code, labels.get(code, code)) for code in regions
        ]


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
            (PanelRole.REVIEWER, "Reviewer: scores the applications given to them"),
            (PanelRole.CHAIR, "Chair: sees every score and records the decisions"),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role on the panel"},
    )
    organisation = forms.CharField(
        label="Where they work",
        required=False,
        max_length=200,
        help_text="Applications from this organisation are never given to them. Leave empty to "
        "use the organisation on their directory entry.",
    )


class ReassignForm(forms.Form):
    to_user = forms.TypedChoiceField(
        label="Give this review to",
        coerce=int,
        error_messages={
            "required": "Choose the reviewer to give this review to",
            "invalid_choice": "Choose a reviewer from the list",
        },
    )

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].choices = [("", "Choose a reviewer")] + [
            (member.user_id, member.user.get_full_name()) for member in reviewers
        ]


class ConflictForm(forms.Form):
    # The reason is needed only when there is a conflict (checked in clean).
    conditionally_required = frozenset({"reason"})

    has_conflict = forms.ChoiceField(
        label="Do you have a conflict of interest with this applicant?",
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        help_text="For example, you know them well, manage them or work closely with them, or "
        "you have a financial or personal interest in the outcome.",
        error_messages={"required": "Say whether you have a conflict of interest"},
    )
    reason = forms.CharField(
        label="If yes, what is the conflict?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Required if you answer yes. Staff and the panel chair see this. The "
        "application will go to another reviewer.",
    )

    def clean(self):
        data = super().clean()
        if data.get("has_conflict") == "yes" and not (data.get("reason") or "").strip():
            self.add_error("reason", "Say briefly what the conflict is")
        return data


class ReviewForm(forms.Form):
    """A score (from the scale) and a comment per criterion, a recommendation and an overall
    comment. Field names match `ScoringError.errors`: "criterion_<id>", "recommendation"."""

    recommendation = forms.ChoiceField(
        label="Your recommendation",
        choices=Recommendation.choices,
        widget=forms.RadioSelect,
        help_text="Your advice to the panel chair, who records the decision.",
        error_messages={
            "required": "Choose your recommendation",
            "invalid_choice": "Choose your recommendation from the list",
        },
    )
    comment = forms.CharField(
        label="Anything else the panel should know",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )

    def __init__(self, *args, criteria=(), scale=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        self.scale = list(scale)
        values = [point.value for point in self.scale]
        words = f"Choose a score from {min(values)} to {max(values)}" if values else ""
        scored = {}
        for criterion in self.criteria:
            message = f"{words} for \u201c{criterion.title}\u201d"
            scored[f"criterion_{criterion.pk}"] = forms.TypedChoiceField(
                label=f"Score for \u201c{criterion.title}\u201d",
                choices=[(p.value, f"{p.value}: {p.label}") for p in self.scale],
                coerce=int,
                widget=forms.RadioSelect,
                error_messages={"required": message, "invalid_choice": message},
            )
            scored[f"comment_{criterion.pk}"] = forms.CharField(
                label=f"Comment on \u201c{criterion.title}\u201d",
                required=False,
                max_length=3000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )
        # Criteria first, in order, then the recommendation and overall comment.
        self.fields = {**scored, **self.fields}

    def score_items(self, criterion) -> list[dict]:
        """Radio items for a criterion's score, each with its point's descriptor as a hint."""
        bound = self[f"criterion_{criterion.pk}"]
        chosen = str(bound.value()) if bound.value() not in (None, "") else None
        return [
            {
                "value": str(point.value),
                "text": f"{point.value}: {point.label}",
                "hint": {"text": point.descriptor},
                "checked": str(point.value) == chosen,
            }
            for point in self.scale
        ]

    def recommendation_label(self) -> str:
        return RECOMMENDATION_WORDS.get(self.cleaned_data.get("recommendation"), "")

    def to_session(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields}


class DecisionForm(forms.Form):
    # Feedback is needed for "not yet" only (checked in clean), so it is not labelled optional.
    conditionally_required = frozenset({"feedback"})

    decision = forms.ChoiceField(
        label="Decision",
        choices=[("accept", "Accept into Q"), ("not_yet", "Not yet")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the decision"},
    )
    rationale = forms.CharField(
        label="Reason for the decision",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Only the panel and staff see this.",
        error_messages={"required": "Give the reason for the decision"},
    )
    feedback = forms.CharField(
        label="Feedback for the applicant",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="Required if you choose \u201cNot yet\u201d. The applicant reads this with the "
        "decision, so write to them directly and say what would strengthen a future application.",
    )

    def clean(self):
        data = super().clean()
        if data.get("decision") == "not_yet" and not (data.get("feedback") or "").strip():
            self.add_error("feedback", "Write feedback for the applicant")
        return data
