"""Joining's own panel forms: a panel for a region, and the chair's decision (the workspace's
forms are the kit's, `qcommunity.scoring.forms`). They check the shape of what was
sent; the services check the rules (scale, status, permissions) and say why in words."""

from django import forms

from qcommunity.core.taxonomy import Region


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
