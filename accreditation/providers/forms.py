"""Forms for an organisation's pages. The services check the same things; these keep what was
typed and put each message next to its field."""

from django import forms

from qcommunity.core.taxonomy import Region

from .enums import OrganisationKind, ProgrammeFormat, StaffRole
from .models import Organisation, Programme


class OrganisationForm(forms.Form):
    name = forms.CharField(
        label="Organisation name",
        max_length=200,
        error_messages={
            "required": "Enter the organisation's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    kind = forms.ChoiceField(
        label="What kind of organisation is it?",
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what kind of organisation it is",
            "invalid_choice": "Choose what kind of organisation it is",
        },
    )
    regions = forms.MultipleChoiceField(
        label="Where does it run programmes?",
        help_text="Choose every region that applies.",
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose at least one region the organisation works in",
            "invalid_choice": "Choose regions from the list",
        },
    )
    website = forms.URLField(
        label="Website (optional)",
        required=False,
        max_length=300,
        assume_scheme="https",
        help_text="For example, https://www.example.org.uk",
        error_messages={
            "invalid": "Enter a web address, like https://www.example.org.uk",
            "max_length": "Web address must be 300 characters or fewer",
        },
    )

    @classmethod
    def initial_for(cls, organisation: Organisation) -> dict:
        return {
            "name": organisation.name,
            "kind": organisation.kind,
            "regions": organisation.regions,
            "website": organisation.website,
        }


class ProgrammeForm(forms.Form):
    name = forms.CharField(
        label="Programme name",
        max_length=200,
        error_messages={
            "required": "Enter the programme's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    conditions = forms.CharField(
        label="Which conditions is it for?",
        max_length=500,
        help_text="For example, type 2 diabetes, COPD, or any long-term condition.",
        error_messages={
            "required": "Enter the conditions the programme is for",
            "max_length": "Conditions must be 500 characters or fewer",
        },
    )
    formats = forms.MultipleChoiceField(
        label="How is it delivered?",
        help_text="Choose every way that applies.",
        choices=ProgrammeFormat.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": "Choose how the programme is delivered",
            "invalid_choice": "Choose how the programme is delivered",
        },
    )
    licensed = forms.TypedChoiceField(
        label="Is it a licensed course or your own design?",
        choices=[("yes", "A licensed course"), ("no", "Our own design")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose whether it is a licensed course or your own design",
            "invalid_choice": "Choose whether it is a licensed course or your own design",
        },
    )
    licence_name = forms.CharField(
        label="Name of the licensed course (if licensed)",
        required=False,
        max_length=200,
        help_text="The course as its licence names it.",
        error_messages={"max_length": "Licence name must be 200 characters or fewer"},
    )
    deliverers = forms.IntegerField(
        label="How many people deliver it?",
        min_value=0,
        max_value=100_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-5"}),
        error_messages={
            "required": "Enter how many people deliver it, or 0",
            "invalid": "Enter a whole number, like 12",
            "min_value": "Enter a whole number from 0 to 100,000",
            "max_value": "Enter a whole number from 0 to 100,000",
        },
    )
    trainers = forms.IntegerField(
        label="How many people train those who deliver it?",
        min_value=0,
        max_value=100_000,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "nhsuk-input--width-5"}),
        error_messages={
            "required": "Enter how many people train deliverers, or 0",
            "invalid": "Enter a whole number, like 3",
            "min_value": "Enter a whole number from 0 to 100,000",
            "max_value": "Enter a whole number from 0 to 100,000",
        },
    )

    @classmethod
    def initial_for(cls, programme: Programme) -> dict:
        return {
            "name": programme.name,
            "conditions": programme.conditions,
            "formats": programme.formats,
            "licensed": "yes" if programme.licensed else "no",
            "licence_name": programme.licence_name,
            "deliverers": programme.deliverers,
            "trainers": programme.trainers,
        }


class InviteForm(forms.Form):
    name = forms.CharField(
        label="Their name",
        max_length=200,
        error_messages={
            "required": "Enter the person's name",
            "max_length": "Name must be 200 characters or fewer",
        },
    )
    email = forms.EmailField(
        label="Their email address",
        max_length=254,
        help_text="We send the invitation here. They sign in or create an account with it.",
        error_messages={
            "required": "Enter the person's email address",
            "invalid": "Enter an email address, like name@example.org",
        },
    )
    role = forms.ChoiceField(
        label="What will they do?",
        choices=[
            (StaffRole.CONTRIBUTOR, "Contributor: works on the programmes"),
            (StaffRole.ADMIN, "Admin: also changes the details and invites and removes staff"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose admin or contributor",
            "invalid_choice": "Choose admin or contributor",
        },
    )


class StaffRemoveForm(forms.Form):
    reason = forms.CharField(
        label="Why are they leaving the organisation's team?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="We tell them this in an email, and keep it in the audit log.",
        error_messages={
            "required": "Enter why they are leaving",
            "max_length": "Reason must be 1,000 characters or fewer",
        },
    )


class OrganisationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "All organisations"),
            ("unverified", "Waiting for verification"),
            ("verified", "Verified"),
        ],
    )
