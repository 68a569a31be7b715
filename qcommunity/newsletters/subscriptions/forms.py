"""The public subscribe form, in plain words."""

from django import forms

from .models import Newsletter
from .selectors import newsletters_public


class SubscribeForm(forms.Form):
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    name = forms.CharField(
        label="Your name", max_length=200, error_messages={"required": "Enter your name"}
    )
    organisation = forms.CharField(label="Organisation", max_length=200, required=False)
    newsletters = forms.ModelMultipleChoiceField(
        label="Which newsletters would you like?",
        queryset=Newsletter.objects.none(),
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={
            "required": "Select at least one newsletter",
            "invalid_choice": "Select a newsletter from the list",
            "invalid_pk_value": "Select a newsletter from the list",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["newsletters"].queryset = newsletters_public()
