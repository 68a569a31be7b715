"""Forms of joining Q: the eligibility check and the application itself, then (below) the
staff forms for running rounds of selection.

The application form saves drafts, so no field is required to save: every field is required
to submit (the service says what is missing), and is labelled as such."""

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone

from qcommunity.core.forms.nhs_fields import parse_time
from qcommunity.core.forms.widgets import UKDateField, example_date_hint
from qcommunity.core.taxonomy import OrganisationType, Region, RoleType
from qcommunity.scoring.services import CriterionSpec, ScalePointSpec

from ..directory.forms import choice_error
from .enums import Commitment, Phase
from .models import Application, Round


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
        error_messages={"required": "Choose your region", **choice_error("your region")},
    )
    course = forms.ChoiceField(
        label="Which of these improvement courses have you taken?",
        required=False,
        widget=forms.RadioSelect,
        error_messages=choice_error("a course"),
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
        error_messages=choice_error("a type of organisation"),
    )
    role_types = DraftMultipleChoiceField(
        label="Which of these describe you?",
        choices=RoleType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages=choice_error("a description"),
    )
    region = DraftChoiceField(
        label="Your region",
        choices=REGION_FIELD_CHOICES,
        help_text="The region panel that will read your application",
        error_messages=choice_error("your region"),
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
                error_messages=choice_error("a course"),
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
            error_messages=choice_error("a commitment"),
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


# Rounds (staff) ----------------------------------------------------------------------------------
#
# Forms for running rounds of selection (staff). A form validates what was typed; the services
# in `services_joining` decide what may change and say why not.


LONDON = zoneinfo.ZoneInfo("Europe/London")
CRITERIA_COUNT = 3
SCALE_VALUES = range(5)

DATES = {
    "opens_at": "Opens",
    "closes_at": "Closes",
    "review_deadline": "Reviews due",
    "decisions_release_at": "Decisions released",
}


def _split(moment: dt.datetime | None) -> tuple[dt.date | None, str]:
    if moment is None:
        return None, ""
    local = moment.astimezone(LONDON)
    return local.date(), local.strftime("%H:%M")


class RoundForm(forms.Form):
    """A round's settings, dates (UK time), three criteria and a scale of up to five points.
    With `locked=True` (the round has opened) the criteria, scale and phase cannot be changed
    here: they are shown but disabled and not sent to the service."""

    name = forms.CharField(
        max_length=200,
        help_text="For example, Regional wave 3: North of England",
        error_messages={"required": "Enter a name for the round"},
    )
    phase = forms.ChoiceField(
        choices=Phase.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the phase"},
    )
    regions = forms.MultipleChoiceField(
        label="Regions open",
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose at least one region"},
    )
    reviews_needed = forms.IntegerField(
        label="Reviews needed for each application",
        min_value=1,
        max_value=5,
        initial=2,
        error_messages={"required": "Enter how many reviews each application needs"},
    )
    courses = forms.CharField(
        label="Eligible courses (alumni rounds)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="One course a line: the course, a vertical bar, then who runs it. For example, "
        "Improvement Fellowship | Northshire University",
    )

    # What a score means is needed once the score has a label (checked in clean), so those
    # fields are not labelled optional.
    conditionally_required = frozenset(f"scale_{value}_descriptor" for value in SCALE_VALUES)

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        for name, label in DATES.items():
            self.fields[f"{name}_date"] = UKDateField(
                label=f"{label}: date",
                help_text=example_date_hint,
                error_messages={"required": f"Enter the date: {label.lower()}"},
            )
            self.fields[f"{name}_time"] = forms.CharField(
                label=f"{label}: time (UK time)",
                max_length=10,
                initial="09:00",
                help_text="For example, 9:30am or 14:30",
                error_messages={"required": f"Enter the time: {label.lower()}"},
            )
        for i in range(1, CRITERIA_COUNT + 1):
            self.fields[f"criterion_{i}_title"] = forms.CharField(
                label=f"Criterion {i}: title",
                max_length=200,
                error_messages={"required": f"Enter the title of criterion {i}"},
            )
            self.fields[f"criterion_{i}_description"] = forms.CharField(
                label=f"Criterion {i}: in plain words",
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 3}),
                error_messages={"required": f"Say in plain words what criterion {i} means"},
            )
            self.fields[f"criterion_{i}_guidance"] = forms.CharField(
                label=f"Criterion {i}: guidance (markdown)",
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"criterion_{i}_examples"] = forms.CharField(
                label=f"Criterion {i}: examples (markdown)",
                required=False,
                max_length=10000,
                widget=forms.Textarea(attrs={"rows": 4}),
            )
            self.fields[f"criterion_{i}_word_limit"] = forms.IntegerField(
                label=f"Criterion {i}: word limit",
                min_value=1,
                max_value=5000,
                error_messages={"required": f"Enter the word limit of criterion {i}"},
            )
        for value in SCALE_VALUES:
            self.fields[f"scale_{value}_label"] = forms.CharField(
                label=f"Score {value}: label",
                required=False,
                max_length=100,
                help_text="Leave blank to leave this score off the scale."
                if value == max(SCALE_VALUES)
                else "",
            )
            self.fields[f"scale_{value}_descriptor"] = forms.CharField(
                label=f"Score {value}: what it means",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=f"Required if you give a score of {value} a label.",
            )
        if locked:
            for name in [*self.content_field_names(), "phase"]:
                self.fields[name].disabled = True

    @classmethod
    def content_field_names(cls) -> list[str]:
        names = [
            f"criterion_{i}_{part}"
            for i in range(1, CRITERIA_COUNT + 1)
            for part in ("title", "description", "guidance", "examples", "word_limit")
        ]
        names += [f"scale_{v}_{part}" for v in SCALE_VALUES for part in ("label", "descriptor")]
        return names

    @classmethod
    def initial_for(cls, round_) -> dict:
        initial = {
            "name": round_.name,
            "phase": round_.phase,
            "regions": round_.regions,
            "reviews_needed": round_.reviews_needed,
            "courses": "\n".join(f"{c.name} | {c.provider}" for c in round_.eligible_courses.all()),
        }
        for name in DATES:
            initial[f"{name}_date"], initial[f"{name}_time"] = _split(getattr(round_, name))
        for c in round_.scheme.criteria.all():
            for part in ("title", "description", "guidance", "examples", "word_limit"):
                initial[f"criterion_{c.position}_{part}"] = getattr(c, part)
        for p in round_.scheme.scale_points.all():
            initial[f"scale_{p.value}_label"] = p.label
            initial[f"scale_{p.value}_descriptor"] = p.descriptor
        return initial

    def clean(self):
        data = super().clean()
        for name in DATES:
            date, typed = data.get(f"{name}_date"), data.get(f"{name}_time")
            if typed is not None and typed != "":
                time = parse_time(typed)
                if time is None:
                    self.add_error(f"{name}_time", "Enter a real time, for example 9:30am or 14:30")
                elif date is not None:
                    local = dt.datetime.combine(date, time).replace(tzinfo=LONDON)
                    data[name] = local.astimezone(dt.UTC)
        for value in SCALE_VALUES:
            label = data.get(f"scale_{value}_label", "")
            descriptor = data.get(f"scale_{value}_descriptor", "")
            if label and not descriptor:
                self.add_error(f"scale_{value}_descriptor", f"Say what a score of {value} means")
            if descriptor and not label:
                self.add_error(f"scale_{value}_label", f"Give a score of {value} a label")
        return data

    def clean_courses(self):
        courses = []
        for number, line in enumerate(self.cleaned_data["courses"].splitlines(), start=1):
            if not line.strip():
                continue
            name, bar, provider = line.partition("|")
            if not bar or not name.strip() or not provider.strip():
                raise forms.ValidationError(
                    f"Write line {number} as the course, a vertical bar, then who runs it"
                )
            courses.append((name.strip(), provider.strip()))
        return courses

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "name": data["name"],
            "phase": data["phase"],
            "regions": data["regions"],
            "reviews_needed": data["reviews_needed"],
            "courses": data["courses"],
            **{name: data[name] for name in DATES},
        }
        if not self.locked:
            kwargs["criteria"] = [
                CriterionSpec(
                    title=data[f"criterion_{i}_title"],
                    description=data[f"criterion_{i}_description"],
                    guidance=data[f"criterion_{i}_guidance"],
                    examples=data[f"criterion_{i}_examples"],
                    word_limit=data[f"criterion_{i}_word_limit"],
                )
                for i in range(1, CRITERIA_COUNT + 1)
            ]
            kwargs["scale"] = [
                ScalePointSpec(
                    value=v,
                    label=data[f"scale_{v}_label"],
                    descriptor=data[f"scale_{v}_descriptor"],
                )
                for v in SCALE_VALUES
                if data.get(f"scale_{v}_label")
            ]
        return kwargs

    # How the round services name the fields this form shows otherwise (`form_add_error`).
    service_fields = {
        **{name: f"{name}_date" for name in DATES},
        "scale": "scale_0_label",
        "criteria": "criterion_1_title",
    }
