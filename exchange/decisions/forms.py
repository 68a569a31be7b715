"""Forms for moderators' decisions and funded teams' progress updates. They check the shape of
what was sent; the services check the rules and say why in words."""

from django import forms

from ..proposals.enums import PROPOSAL_TRANSITIONS
from .services import DECISION_ACTIONS, FUNDING_ACTIONS


class DecisionForm(forms.Form):
    action = forms.ChoiceField(
        label="Decision",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose the decision",
            "invalid_choice": "That decision cannot be taken now (the proposal or the round "
            "has moved on since the page was opened). Choose one of these.",
        },
    )
    reason = forms.CharField(
        label="Reason for the decision",
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The team reads this with the decision, so write to them directly.",
        error_messages={"required": "Give the reason for the decision"},
    )

    def __init__(self, *args, stage: str, voting_closed: bool = True, **kwargs):
        """Offers the decisions the proposal's stage allows; funding either way only once
        voting has closed (the service holds the same rule)."""
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [
            (action, PROPOSAL_TRANSITIONS[action].label)
            for action in DECISION_ACTIONS
            if stage in PROPOSAL_TRANSITIONS[action].sources
            and (voting_closed or action not in FUNDING_ACTIONS)
        ]


class ProgressUpdateForm(forms.Form):
    title = forms.CharField(
        label="Title", max_length=200, error_messages={"required": "Enter a title"}
    )
    body = forms.CharField(
        label="Update",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text="What you have done, what you have learnt and what comes next. You can use "
        "markdown: **bold**, *italic*, lists and links.",
        error_messages={"required": "Write the update"},
    )
    file = forms.FileField(
        label="Attach a file",
        required=False,
        help_text="A PDF, Word or Excel file or a picture, up to 10 MB. Anyone who can read "
        "the update can download it: nothing with personal information about patients or "
        "staff.",
    )
