"""Forms of the panel workspace, for every kind of panel (`kinds.PanelKind` gives the words).
They check the shape of what was sent; the services check the rules (scale, status,
permissions) and say why in words."""

from django import forms


class ConflictForm(forms.Form):
    # The reason is needed only when there is a conflict (checked in clean).
    conditionally_required = frozenset({"reason"})

    has_conflict = forms.ChoiceField(
        choices=[("no", "No"), ("yes", "Yes")],
        widget=forms.RadioSelect,
        error_messages={"required": "Say whether you have a conflict of interest"},
    )
    reason = forms.CharField(
        label="If yes, what is the conflict?",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["has_conflict"].label = kind.conflict_question
        self.fields["has_conflict"].help_text = kind.conflict_examples
        self.fields["reason"].help_text = (
            "Required if you answer yes. Staff and the panel chair see this. The "
            f"{kind.subject_noun} will go to another reviewer."
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
        widget=forms.RadioSelect,
        help_text="Your advice to the panel chair.",
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

    def __init__(self, *args, kind, criteria=(), scale=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.kind = kind
        self.fields["recommendation"].choices = list(kind.recommendation_words.items())
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
        return self.kind.recommendation_words.get(self.cleaned_data.get("recommendation"), "")

    def to_session(self) -> dict:
        return {name: self.data.get(name, "") for name in self.fields}


class ReassignForm(forms.Form):
    """Whom staff give an unfinished review to: only reviewers who may take it are offered, so
    a choice not in the list is one that stopped being possible (they were given the subject
    or declared a conflict meanwhile, or left the panel)."""

    to_user = forms.TypedChoiceField(
        label="Give this review to",
        coerce=int,
        error_messages={
            "required": "Choose the reviewer to give this review to",
            "invalid_choice": "The reviewer you chose can no longer take this review. Choose "
            "another reviewer from the list",
        },
    )

    def __init__(self, *args, reviewers=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["to_user"].choices = [("", "Choose a reviewer")] + [
            (member.user_id, member.user.get_full_name()) for member in reviewers
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
        widget=forms.RadioSelect,
        error_messages={"required": "Choose their role on the panel"},
    )
    organisation = forms.CharField(
        label="Where they work",
        required=False,
        max_length=200,
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = kind.role_choices
        if kind.asks_organisation:
            self.fields["organisation"].help_text = (
                f"{kind.subject_noun_plural.capitalize()} from this organisation are never "
                "given to them. Leave empty to use the organisation on their directory entry."
            )
        else:
            del self.fields["organisation"]
