"""The staff's form for a Q Exchange round: its year, name and introduction, the six dates (UK
time), the funding cap and ballot rule, then rows of theme questions and section questions.

Rows work without JavaScript: the form shows the round's rows plus blank ones, and "Add another
theme" / "Add another section" post the form back with one more blank row, keeping everything
typed. Blank rows are ignored; rows are saved in the order shown. Once the round is published
(`locked=True`) only its name, introduction and dates change; everything else is shown read-only
(disabled, with the reason) and not sent to the service. A posted value for a read-only field
that differs from the round's (an old page, a crafted post) is an error, so the page never says
"saved" for a change it dropped."""

import datetime as dt
import zoneinfo

from django import forms

from qcommunity.core.forms.nhs_fields import parse_time
from qcommunity.core.forms.widgets import UKDateField, example_date_hint

from .services import ROUND_DATE_FIELDS, SectionSpec, ThemeSpec

LONDON = zoneinfo.ZoneInfo("Europe/London")
MAX_ROWS = 20
BLANK_ROWS = 1  # blank rows shown after the round's own

DATES = dict(
    zip(
        ROUND_DATE_FIELDS,
        (
            "Ideas open",
            "Full proposals due",
            "Comments close",
            "Voting opens",
            "Voting closes",
            "Decisions announced",
        ),
        strict=True,
    )
)
THEME_PARTS = ("name", "question", "description")
# A published round's name and introduction can change; the rest of its content cannot.
ALWAYS_EDITABLE = frozenset({"name", "introduction"})
LOCKED_REASON = "This cannot change once the round is published."
SECTION_PARTS = ("question", "guidance", "word_limit", "required_for_idea")


def _split(moment: dt.datetime | None) -> tuple[dt.date | None, str]:
    if moment is None:
        return None, ""
    local = moment.astimezone(LONDON)
    return local.date(), local.strftime("%H:%M")


def _rows(data, name: str, default: int) -> int:
    try:
        return max(1, min(int(data.get(name, default)), MAX_ROWS))
    except (TypeError, ValueError):
        return default


class ExchangeRoundForm(forms.Form):
    year = forms.IntegerField(
        min_value=2000,
        max_value=2200,
        help_text="For example, 2027. There is one round a year.",
        error_messages={"required": "Enter the year of the round"},
    )
    name = forms.CharField(
        max_length=200,
        help_text="For example, Q Exchange 2027",
        error_messages={"required": "Enter a name for the round"},
    )
    introduction = forms.CharField(
        label="Introduction (markdown)",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="Shown at the top of the round's page.",
    )
    funding_cap = forms.IntegerField(
        label="Most one project can receive, in pounds",
        min_value=1,
        max_value=10_000_000,
        help_text="For example, 30000",
        error_messages={"required": "Enter the most one project can receive"},
    )
    choices_per_theme = forms.IntegerField(
        label="Proposals each member chooses in every theme when voting",
        min_value=1,
        max_value=20,
        initial=3,
        error_messages={"required": "Enter how many proposals each member chooses per theme"},
    )
    theme_rows = forms.IntegerField(widget=forms.HiddenInput, required=False)
    section_rows = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, locked: bool = False, theme_rows=1, section_rows=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        source = self.data if self.is_bound else {}
        self.theme_count = _rows(source, "theme_rows", theme_rows)
        self.section_count = _rows(source, "section_rows", section_rows)
        self.initial["theme_rows"] = self.theme_count
        self.initial["section_rows"] = self.section_count
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
        for i in range(1, self.theme_count + 1):
            self.fields[f"theme_{i}_name"] = forms.CharField(
                label=f"Theme {i}: short name", required=False, max_length=120,
                help_text="For example, Working across boundaries",
            )  # fmt: skip
            self.fields[f"theme_{i}_question"] = forms.CharField(
                label=f"Theme {i}: question", required=False, max_length=300,
                help_text="For example, How can we improve across system boundaries?",
            )  # fmt: skip
            self.fields[f"theme_{i}_description"] = forms.CharField(
                label=f"Theme {i}: more about it (markdown)", required=False, max_length=5000,
                widget=forms.Textarea(attrs={"rows": 3}),
            )  # fmt: skip
        for i in range(1, self.section_count + 1):
            self.fields[f"section_{i}_question"] = forms.CharField(
                label=f"Section {i}: question", required=False, max_length=300,
                help_text="For example, What is the challenge you want to address?",
            )  # fmt: skip
            self.fields[f"section_{i}_guidance"] = forms.CharField(
                label=f"Section {i}: guidance for authors (markdown)", required=False,
                max_length=5000, widget=forms.Textarea(attrs={"rows": 3}),
            )  # fmt: skip
            self.fields[f"section_{i}_word_limit"] = forms.IntegerField(
                label=f"Section {i}: word limit", required=False, min_value=1, max_value=5000,
                initial=300,
            )  # fmt: skip
            self.fields[f"section_{i}_required_for_idea"] = forms.BooleanField(
                label=f"Section {i}: an idea must answer this too", required=False,
            )  # fmt: skip
        # A round needs at least one theme and one section: the first rows are required.
        for name, message in (
            ("theme_1_name", "Enter a short name for theme 1"),
            ("theme_1_question", "Enter the question of theme 1"),
            ("section_1_question", "Enter the question of section 1"),
            ("section_1_word_limit", "Enter the word limit of section 1"),
        ):
            self.fields[name].required = True
            self.fields[name].error_messages["required"] = message
        if locked:
            for name in self.locked_field_names():
                self.fields[name].disabled = True
                self.fields[name].help_text = " ".join(
                    filter(None, [str(self.fields[name].help_text), LOCKED_REASON])
                )

    def locked_field_names(self) -> list[str]:
        """What a published round keeps as members saw it."""
        return [n for n in self.content_field_names() if n not in ALWAYS_EDITABLE]

    def dropped_changes(self) -> list[str]:
        """Labels of read-only fields posted with a value other than the round's."""
        dropped = []
        for name in self.locked_field_names():
            field = self.fields[name]
            key = self.add_prefix(name)
            if key not in self.data:
                continue  # browsers do not send disabled fields
            raw = field.widget.value_from_datadict(self.data, self.files, key)
            try:
                posted = field.clean(raw)
            except forms.ValidationError:
                posted = raw
            initial = self.get_initial_for_field(field, name)
            if (posted or None) != (initial or None):
                dropped.append(str(field.label))
        return dropped

    def content_field_names(self) -> list[str]:
        names = ["year", "name", "introduction", "funding_cap", "choices_per_theme"]
        names += [f"theme_{i}_{p}" for i in range(1, self.theme_count + 1) for p in THEME_PARTS]
        names += [
            f"section_{i}_{p}" for i in range(1, self.section_count + 1) for p in SECTION_PARTS
        ]
        return names

    @staticmethod
    def initial_for(round_) -> dict:
        initial = {
            "year": round_.year,
            "name": round_.name,
            "introduction": round_.introduction,
            "funding_cap": round_.funding_cap,
            "choices_per_theme": round_.choices_per_theme,
        }
        for name in DATES:
            initial[f"{name}_date"], initial[f"{name}_time"] = _split(getattr(round_, name))
        for i, theme in enumerate(round_.themes.all(), start=1):
            for part in THEME_PARTS:
                initial[f"theme_{i}_{part}"] = getattr(theme, part)
        for i, section in enumerate(round_.sections.all(), start=1):
            for part in SECTION_PARTS:
                initial[f"section_{i}_{part}"] = getattr(section, part)
        return initial

    def theme_fields(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"theme_{i}_{p}"] for p in THEME_PARTS] for i in range(1, self.theme_count + 1)
        ]

    def section_fields(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"section_{i}_{p}"] for p in SECTION_PARTS]
            for i in range(1, self.section_count + 1)
        ]

    def clean(self):
        data = super().clean()
        for name in DATES:
            date, typed = data.get(f"{name}_date"), data.get(f"{name}_time")
            if typed:
                time = parse_time(typed)
                if time is None:
                    self.add_error(f"{name}_time", "Enter a real time, for example 9:30am or 14:30")
                elif date is not None:
                    local = dt.datetime.combine(date, time).replace(tzinfo=LONDON)
                    data[name] = local.astimezone(dt.UTC)
        if self.locked:
            if dropped := self.dropped_changes():
                self.add_error(
                    None,
                    "Nothing was saved: a published round's "
                    + ", ".join(label[0].lower() + label[1:] for label in dropped)
                    + " cannot change. Its name, introduction and dates can.",
                )
            return data
        themes, sections = [], []
        for i in range(1, self.theme_count + 1):
            name, question = data.get(f"theme_{i}_name", ""), data.get(f"theme_{i}_question", "")
            description = data.get(f"theme_{i}_description", "")
            if not (name or question or description):
                continue
            if not name:
                self.add_error(f"theme_{i}_name", f"Enter a short name for theme {i}")
            if not question:
                self.add_error(f"theme_{i}_question", f"Enter the question of theme {i}")
            themes.append(ThemeSpec(name=name, question=question, description=description))
        for i in range(1, self.section_count + 1):
            question = data.get(f"section_{i}_question", "")
            guidance = data.get(f"section_{i}_guidance", "")
            if not (question or guidance):
                continue
            if not question:
                self.add_error(f"section_{i}_question", f"Enter the question of section {i}")
            word_limit = data.get(f"section_{i}_word_limit")
            if word_limit is None and f"section_{i}_word_limit" not in self.errors:
                self.add_error(f"section_{i}_word_limit", f"Enter the word limit of section {i}")
            sections.append(
                SectionSpec(
                    question=question,
                    guidance=guidance,
                    word_limit=word_limit or 0,
                    required_for_idea=bool(data.get(f"section_{i}_required_for_idea")),
                )
            )
        data["themes"], data["sections"] = themes, sections
        return data

    def text_kwargs(self) -> dict:
        return {
            "name": self.cleaned_data["name"],
            "introduction": self.cleaned_data["introduction"],
        }

    def dates(self) -> dict[str, dt.datetime]:
        return {name: self.cleaned_data[name] for name in DATES}

    def content_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "year": data["year"],
            "name": data["name"],
            "introduction": data["introduction"],
            "funding_cap": data["funding_cap"],
            "choices_per_theme": data["choices_per_theme"],
            "themes": data["themes"],
            "sections": data["sections"],
        }

    # How the round services name the fields this form shows otherwise (`form_add_error`).
    service_fields = {
        **{name: f"{name}_date" for name in DATES},
        "themes": "theme_1_name",
        "sections": "section_1_question",
    }
