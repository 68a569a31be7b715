"""Forms for composing issues, reusable blocks and scheduling."""

import datetime as dt
import zoneinfo

from django import forms
from django.utils import timezone

from qcommunity.core.forms.nhs_fields import parse_time
from qcommunity.core.forms.widgets import UKDateField, example_date_hint
from qcommunity.core.taxonomy import Region, RoleType

from ..showcase.models import ShowcaseItem
from ..subscriptions.models import Newsletter
from .models import Issue, ReusableBlock
from .render import MERGE_FIELDS, merge_fields_message, merge_fields_unknown

LONDON = zoneinfo.ZoneInfo("Europe/London")
MERGE_HINT = "Written in markdown. You can use " + ", ".join(
    f"{{{{ {name} }}}} ({words})" for name, words in MERGE_FIELDS.items()
)


def _no_unknown_merge_fields(value: str) -> str:
    unknown = merge_fields_unknown(value)
    if unknown:
        raise forms.ValidationError(merge_fields_message(unknown))
    return value


class IssueForm(forms.Form):
    title = forms.CharField(
        max_length=200,
        error_messages={"required": "Enter a title for the issue"},
        help_text="Also the email subject line.",
    )
    intro = forms.CharField(
        label="Introduction",
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=MERGE_HINT,
    )
    segment_regions = forms.MultipleChoiceField(
        label="Regions",
        required=False,
        choices=Region.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Send only to members in any of these regions.",
    )
    segment_role_types = forms.MultipleChoiceField(
        label="Role types",
        required=False,
        choices=RoleType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Send only to members with any of these roles.",
    )
    segment_topics = forms.ModelMultipleChoiceField(
        label="Topics",
        required=False,
        # The directory's topics, through the issue's own link to them.
        queryset=Issue._meta.get_field("segment_topics").related_model.objects.order_by("name"),
        widget=forms.CheckboxSelectMultiple,
        help_text="Send only to members interested in any of these topics.",
    )

    def clean_title(self):
        return _no_unknown_merge_fields(self.cleaned_data["title"])

    def clean_intro(self):
        return _no_unknown_merge_fields(self.cleaned_data["intro"])

    @staticmethod
    def initial_for(issue) -> dict:
        return {
            "title": issue.title,
            "intro": issue.intro,
            "segment_regions": issue.segment_regions,
            "segment_role_types": issue.segment_role_types,
            "segment_topics": [t.pk for t in issue.segment_topics.all()],
        }

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "intro": data["intro"],
            "segment_regions": data["segment_regions"],
            "segment_role_types": data["segment_role_types"],
            "segment_topics": list(data["segment_topics"]),
        }


class IssueCreateForm(IssueForm):
    newsletter = forms.ModelChoiceField(
        queryset=Newsletter.objects.order_by("name"),
        empty_label=None,
        error_messages={"required": "Choose the newsletter this issue belongs to"},
    )
    field_order = ["newsletter", "title", "intro"]


class SectionForm(forms.Form):
    heading = forms.CharField(max_length=200, error_messages={"required": "Enter a heading"})
    body = forms.CharField(
        label="Text",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=MERGE_HINT,
        error_messages={"required": "Enter the text of the section"},
    )

    def clean_heading(self):
        return _no_unknown_merge_fields(self.cleaned_data["heading"])

    def clean_body(self):
        return _no_unknown_merge_fields(self.cleaned_data["body"])


class BlockInsertForm(forms.Form):
    block = forms.ModelChoiceField(
        label="Reusable block",
        queryset=ReusableBlock.objects.order_by("name"),
        error_messages={"required": "Choose a block to add"},
    )


class ShowcaseInsertForm(forms.Form):
    item = forms.ModelChoiceField(
        label="Approved showcase item",
        queryset=ShowcaseItem.objects.none(),
        error_messages={"required": "Choose a showcase item to add"},
    )

    def __init__(self, *args, queryset, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"].queryset = queryset


class ScheduleForm(forms.Form):
    """A date and a time in UK time; `cleaned_data["scheduled_for"]` is the moment in UTC."""

    date = UKDateField(
        label="Date",
        help_text=example_date_hint,
        error_messages={"required": "Enter the date to send the issue"},
    )
    time = forms.CharField(
        label="Time (UK time)",
        max_length=10,
        help_text="For example, 9:30am or 14:30",
        error_messages={"required": "Enter the time to send the issue"},
    )

    def __init__(self, *args, now=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.now = now

    def clean_time(self):
        value = parse_time(self.cleaned_data["time"])
        if value is None:
            raise forms.ValidationError("Enter a real time, for example 9:30am or 14:30")
        return value

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time") is not None:
            local = dt.datetime.combine(data["date"], data["time"]).replace(tzinfo=LONDON)
            moment = local.astimezone(dt.UTC)
            if moment <= (self.now or timezone.now()):
                self.add_error("date", "The date and time to send the issue must be in the future")
            data["scheduled_for"] = moment
        return data


class BlockForm(forms.Form):
    name = forms.CharField(
        max_length=120,
        help_text="For editors only, to find the block, such as \u201cStandard footer\u201d.",
        error_messages={"required": "Enter a name for the block"},
    )
    heading = forms.CharField(
        max_length=200, required=False, help_text="Shown to readers above the text."
    )
    body = forms.CharField(
        label="Text",
        max_length=20000,
        widget=forms.Textarea(attrs={"rows": 10}),
        help_text=MERGE_HINT,
        error_messages={"required": "Enter the text of the block"},
    )

    def __init__(self, *args, block=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.block = block

    def clean_name(self):
        name = self.cleaned_data["name"]
        taken = ReusableBlock.objects.filter(name__iexact=name)
        if self.block is not None:
            taken = taken.exclude(pk=self.block.pk)
        if taken.exists():
            raise forms.ValidationError("There is already a block with this name")
        return name

    def clean_heading(self):
        return _no_unknown_merge_fields(self.cleaned_data["heading"])

    def clean_body(self):
        return _no_unknown_merge_fields(self.cleaned_data["body"])
