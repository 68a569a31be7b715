"""Forms for applying to join Q: the eligibility check and the application itself.

The application form saves drafts, so no field is required to save: every field is required
to submit (the service says what is missing), and is labelled as such."""

from django import forms
from django.utils import timezone

from qcommunity.core.taxonomy import OrganisationType, Region, RoleType

from .enums_joining import Commitment, Phase
from .forms import _choice_error
from .models_joining import Application, Round


class _NeededToSubmit:
    """Labelled as required (it is, to submit) but may be left empty in a draft."""

    def validate(self, value):
        if value in self.empty_values:
            return
        super().validate(value)


class DraftCharField(_NeededToSubmit, forms.CharField):
    pass


class DraftChoiceField(_NeededToSubmit, forms.ChoiceField):
    pass


class DraftMultipleChoiceField(_NeededToSubmit, forms.MultipleChoiceField):
    pass


class DraftIntegerField(_NeededToSubmit, forms.IntegerField):
    pass


REGION_FIELD_CHOICES = [("", "Choose your region"), *Region.choices]
NO_COURSE = "none"


class EligibilityForm(forms.Form):
    """Asked on the join page (GET, no account needed). The course and nomination code
    questions appear only while a round of that phase is open."""

    region = forms.ChoiceField(
        label="Where do you work or live?",
        choices=REGION_FIELD_CHOICES,
        help_text="Choose the region where you do most of your work on improving health and care",
        error_messages={"required": "Choose your region", **_choice_error("your region")},
    )
    course = forms.ChoiceField(
        label="Which of these improvement courses have you taken?",
        required=False,
        widget=forms.RadioSelect,
        error_messages=_choice_error("a course"),
    )
    code = forms.CharField(
        label="Nomination code",
        required=False,
        max_length=20,
        help_text=(
            "If an organisation nominated you, enter the code they gave you, for example QF-7K2D"
        ),
        error_messages={"max_length": "A nomination code is 20 characters or fewer"},
    )

    def __init__(self, *args, rounds: list[Round], **kwargs):
        super().__init__(*args, **kwargs)
        phases = {r.phase for r in rounds}
        courses = [c for r in rounds if r.phase == Phase.ALUMNI for c in r.eligible_courses.all()]
        if courses:
            self.fields["course"].choices = [
                *((str(c.pk), str(c)) for c in courses),
                (NO_COURSE, "None of these"),
            ]
        else:
            del self.fields["course"]
        if Phase.FOUNDING not in phases:
            del self.fields["code"]

    @property
    def course_id(self) -> int | None:
        value = self.cleaned_data.get("course")
        return int(value) if value and value != NO_COURSE else None


class ApplicationForm(forms.Form):
    """One page: the profile facts, the phase's conditions, an answer per criterion and the
    commitments. Answers carry their word limit for the live count (`data-maxwords`)."""

    job_title = DraftCharField(
        label="Your job title or role",
        max_length=150,
        error_messages={"max_length": "Your job title must be 150 characters or fewer"},
    )
    organisation = DraftCharField(
        label="Where you work",
        max_length=200,
        help_text="The name of your organisation, or say if you are not employed in health or care",
        error_messages={"max_length": "Your organisation name must be 200 characters or fewer"},
    )
    organisation_type = DraftChoiceField(
        label="What kind of organisation is it?",
        choices=[("", "Choose a type of organisation"), *OrganisationType.choices],
        error_messages=_choice_error("a type of organisation"),
    )
    role_types = DraftMultipleChoiceField(
        label="Which of these describe you?",
        choices=RoleType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages=_choice_error("a description"),
    )
    region = DraftChoiceField(
        label="Your region",
        choices=REGION_FIELD_CHOICES,
        help_text="The region panel that will read your application",
        error_messages=_choice_error("your region"),
    )

    def __init__(self, *args, application: Application, **kwargs):
        self.application = application
        round_ = application.round
        self.criteria = list(round_.scheme.criteria.all())
        kwargs.setdefault("initial", self.initial_for(application, self.criteria))
        super().__init__(*args, **kwargs)
        if round_.phase == Phase.ALUMNI:
            self.fields["course"] = DraftChoiceField(
                label="Which improvement course did you take?",
                choices=[(str(c.pk), str(c)) for c in round_.eligible_courses.all()],
                widget=forms.RadioSelect,
                error_messages=_choice_error("a course"),
            )
            self.fields["course_year"] = DraftIntegerField(
                label="Year you finished the course",
                help_text="For example, 2024",
                min_value=1950,
                max_value=timezone.now().year,
                widget=forms.TextInput(attrs={"inputmode": "numeric"}),
                error_messages={
                    "invalid": "Enter the year as 4 numbers, for example 2024",
                    "min_value": "Enter a year from 1950 onwards",
                    "max_value": "Enter a year that has already started",
                },
            )
        if round_.phase == Phase.FOUNDING:
            self.fields["nomination_code"] = DraftCharField(
                label="Your nomination code",
                max_length=20,
                help_text=(
                    "The code the organisation that nominated you gave you, for example QF-7K2D"
                ),
                error_messages={"max_length": "A nomination code is 20 characters or fewer"},
            )
        for criterion in self.criteria:
            attrs = {"rows": 10}
            if criterion.word_limit:
                attrs["data-maxwords"] = str(criterion.word_limit)
            self.fields[f"answer_{criterion.pk}"] = DraftCharField(
                label=criterion.title,
                help_text=criterion.description,
                max_length=20000,
                widget=forms.Textarea(attrs=attrs),
                strip=True,
                error_messages={"max_length": "Your answer must be 20,000 characters or fewer"},
            )
        self.fields["commitments"] = DraftMultipleChoiceField(
            label="Your commitments as a member of Q",
            choices=Commitment.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text="Members agree to these. Select each one to accept it.",
            error_messages=_choice_error("a commitment"),
        )

    @staticmethod
    def initial_for(application: Application, criteria) -> dict:
        answers = {a.criterion_id: a.text for a in application.answers.all()}
        initial = {
            "job_title": application.job_title,
            "organisation": application.organisation,
            "organisation_type": application.organisation_type,
            "role_types": list(application.role_types),
            "region": application.region,
            "course": str(application.course_id or ""),
            "course_year": application.course_year,
            "nomination_code": (
                application.nomination_code.code if application.nomination_code else ""
            ),
            "commitments": [c["commitment"] for c in application.commitments],
        }
        for criterion in criteria:
            initial[f"answer_{criterion.pk}"] = answers.get(criterion.pk, "")
        return initial

    def answer_fields(self):
        """(criterion, bound field) pairs in the order the round lists its criteria."""
        return [(c, self[f"answer_{c.pk}"]) for c in self.criteria]

    def changes(self) -> tuple[dict, dict, list | None]:
        """What to give `application_save_draft`: the facts and answers that are valid and
        differ from what is stored, and the commitments (None when unchanged). Call after
        `is_valid()`; fields with errors are left out, so they keep their stored value."""
        data = self.cleaned_data
        stored = self.initial
        facts = {}
        for name in ("job_title", "organisation", "organisation_type", "region"):
            if name in data and data[name] != (stored.get(name) or ""):
                facts[name] = data[name]
        if "role_types" in data and sorted(data["role_types"]) != sorted(stored["role_types"]):
            facts["role_types"] = data["role_types"]
        if "course" in data and data["course"] != stored["course"]:
            facts["course"] = int(data["course"]) if data["course"] else None
        if "course_year" in data and data["course_year"] != stored["course_year"]:
            facts["course_year"] = data["course_year"]
        if "nomination_code" in data:
            typed = data["nomination_code"].strip().upper()
            if typed != stored["nomination_code"]:
                facts["nomination_code"] = typed
        answers = {
            c.pk: data[f"answer_{c.pk}"]
            for c in self.criteria
            if f"answer_{c.pk}" in data and data[f"answer_{c.pk}"] != stored[f"answer_{c.pk}"]
        }
        commitments = None
        if "commitments" in data and set(data["commitments"]) != set(stored["commitments"]):
            commitments = data["commitments"]
        return facts, answers, commitments
