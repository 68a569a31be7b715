"""Forms for running rounds of selection (staff). A form validates what was typed; the services
in `services_joining` decide what may change and say why not."""

import datetime as dt
import zoneinfo

from django import forms

from qcommunity.core.forms.nhs_fields import parse_time
from qcommunity.core.forms.widgets import UKDateField, example_date_hint
from qcommunity.core.taxonomy import Region
from qcommunity.scoring.services import CriterionSpec, ScalePointSpec

from .enums_joining import Phase

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
