"""Forms for the standards pages: each validates what a person typed for one service."""

from django import forms

from .enums import DraftSource, Scope


class StandardForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    slug = forms.SlugField(
        label="Short name",
        max_length=80,
        help_text="Lower-case letters, numbers and hyphens, used in the page's address.",
    )
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    screening_target_working_days = forms.IntegerField(
        label="Screening target, in working days",
        min_value=1,
        max_value=365,
        initial=10,
        help_text="From a case's submission to the end of screening.",
    )
    decision_target_days = forms.IntegerField(
        label="Decision target, in days",
        min_value=1,
        max_value=730,
        initial=60,
        help_text="From a case's submission to the decision.",
    )

    def __init__(self, *args, editing: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["slug"]


class DraftForm(forms.Form):
    source = forms.ChoiceField(
        label="What should the new version start from?",
        choices=DraftSource.choices,
        widget=forms.RadioSelect,
    )


class DomainForm(forms.Form):
    code = forms.CharField(label="Code", max_length=20, help_text="For example, D1.")
    title = forms.CharField(label="Title", max_length=200)


class CriterionForm(forms.Form):
    domain = forms.ModelChoiceField(label="Domain", queryset=None, empty_label=None)
    code = forms.CharField(label="Code", max_length=20, help_text="For example, 1.3.")
    text = forms.CharField(
        label="Criterion", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000
    )
    guidance = forms.CharField(
        label="Guidance", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    evidence_examples = forms.CharField(
        label="Examples of evidence", required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    is_minimum = forms.BooleanField(label="This is a minimum requirement", required=False)
    scopes = forms.MultipleChoiceField(
        label="What it applies to",
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one scope."},
    )

    def __init__(self, *args, version, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["domain"].queryset = version.domains.all()
        self.fields["domain"].label_from_instance = lambda d: f"{d.code} {d.title}"


class LevelForm(forms.Form):
    name = forms.CharField(label="Name", max_length=200)
    description = forms.CharField(
        label="Description", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    minimum_only = forms.BooleanField(
        label="This level asks only the minimum requirements", required=False
    )


class PublishForm(forms.Form):
    change_summary = forms.CharField(
        label="What changed in this version",
        help_text="Providers and assessors see this with the version.",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": "Say what changed in this version."},
    )
