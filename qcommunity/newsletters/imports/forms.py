"""The staff form for importing contacts, in plain words."""

from django import forms

from ..subscriptions.enums import LawfulBasis
from ..subscriptions.models import Newsletter
from .services import IMPORT_MAX_BYTES


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
