from django import forms

from .enums import Delivery
from .kinds import all_kinds


class NotificationPreferencesForm(forms.Form):
    """One set of radios per kind a member may choose for; required kinds have no field."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for kind in all_kinds():
            if kind.required:
                continue
            self.fields[kind.key] = forms.ChoiceField(
                label=kind.label,
                help_text=kind.description,
                choices=Delivery.choices,
                widget=forms.RadioSelect,
                error_messages={"required": f"Choose how you want to hear about: {kind.label}"},
            )
