"""Forms for subscribing (public) and importing contacts (staff), in plain words."""

from django import forms

from .enums import LawfulBasis
from .imports import IMPORT_MAX_BYTES
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


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label="CSV file of contacts",
        help_text="A CSV file saved as UTF-8, smaller than 2MB, whose first row names the "
        "columns: email, name, organisation, interests",
        widget=forms.FileInput(attrs={"accept": ".csv,text/csv"}),
        error_messages={"required": "Choose a CSV file to upload"},
    )
    newsletters = forms.ModelMultipleChoiceField(
        label="Add these contacts to",
        queryset=Newsletter.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Select at least one newsletter"},
    )
    lawful_basis = forms.ChoiceField(
        label="Lawful basis for emailing these contacts",
        choices=LawfulBasis.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Select the lawful basis for this import"},
    )
    note = forms.CharField(
        label="Note about this import",
        help_text="Where these contacts came from and why the lawful basis applies. For consent, "
        "say where, when and in what words people agreed to receive the newsletter.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Enter a note about where these contacts came from"},
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith(".csv"):
            raise forms.ValidationError("The selected file must be a CSV file")
        if upload.size > IMPORT_MAX_BYTES:
            raise forms.ValidationError("The selected file must be smaller than 2MB")
        return upload
