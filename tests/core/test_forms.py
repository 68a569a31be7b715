"""The helpers that turn Django form fields into NHS.UK component parameters."""

import datetime as dt

import pytest
from django import forms
from django.template import engines

from qcommunity.core.forms import nhs_fields
from qcommunity.core.forms.widgets import UKDateField, example_date

COLOURS = [("red", "Red"), ("green", "Green"), ("blue", "Blue")]


class EveryKindForm(forms.Form):
    name = forms.CharField(label="Your name", max_length=50)
    email = forms.EmailField(label="Email address")
    password = forms.CharField(label="Password", widget=forms.PasswordInput)
    story = forms.CharField(label="Your story", widget=forms.Textarea, required=False)
    summary = forms.CharField(label="Summary", max_length=200, widget=forms.Textarea)
    region = forms.ChoiceField(label="Region", choices=[("", "Choose a region"), *COLOURS])
    colour = forms.ChoiceField(label="Colour", choices=COLOURS, widget=forms.RadioSelect)
    colours = forms.MultipleChoiceField(
        label="Colours", choices=COLOURS, widget=forms.CheckboxSelectMultiple, required=False
    )
    agree = forms.BooleanField(label="I agree")
    start = UKDateField(label="Start date", help_text="For example, 27 3 2026")
    upload = forms.FileField(label="Upload a file", required=False)


def render(bound) -> str:
    env = engines["jinja2"].env
    template = env.from_string('{% from "includes/forms.jinja" import field %}{{ field(bound) }}')
    return template.render(bound=bound)


def test_kinds_follow_widgets():
    form = EveryKindForm()
    kinds = {name: nhs_fields.kind(form[name]) for name in form.fields}
    assert kinds == {
        "name": "input",
        "email": "input",
        "password": "password",
        "story": "textarea",
        "summary": "character_count",
        "region": "select",
        "colour": "radios",
        "colours": "checkboxes",
        "agree": "checkbox",
        "start": "date",
        "upload": "file",
    }


def test_optional_fields_say_so_in_the_label():
    form = EveryKindForm()
    assert nhs_fields.params(form["story"])["label"]["text"] == "Your story (optional)"
    assert nhs_fields.params(form["name"])["label"]["text"] == "Your name"


class FeedbackForm(forms.Form):
    # Needed only after another answer (the form's clean checks it), so not "optional".
    conditionally_required = frozenset({"feedback"})

    decision = forms.ChoiceField(label="Decision", choices=COLOURS, widget=forms.RadioSelect)
    feedback = forms.CharField(
        label="Feedback", required=False, help_text="Required if you choose Red"
    )
    note = forms.CharField(label="Note", required=False)


def test_conditionally_required_fields_are_not_labelled_optional():
    form = FeedbackForm()
    feedback = nhs_fields.params(form["feedback"])
    assert feedback["label"]["text"] == "Feedback"
    assert feedback["hint"]["text"] == "Required if you choose Red"
    # Not required in the browser either: it depends on the other answer.
    assert "required" not in feedback["attributes"]
    assert nhs_fields.params(form["note"])["label"]["text"] == "Note (optional)"


def test_errors_become_error_messages_and_a_linked_summary():
    form = EveryKindForm(
        data={"email": "not-an-email", "start-day": "31", "start-month": "2", "start-year": "2026"}
    )
    assert not form.is_valid()
    email = nhs_fields.params(form["email"])
    assert email["errorMessage"]["text"] == "Enter a valid email address."
    summary = nhs_fields.error_summary(form)
    hrefs = [item["href"] for item in summary["errorList"]]
    assert "#id_email" in hrefs
    assert "#id_start-day" in hrefs
    assert summary["titleText"] == "There is a problem"
    html = render(form["email"])
    assert 'class="nhsuk-error-message"' in html
    assert 'aria-describedby="id_email-error"' in html


def test_date_input_round_trip():
    form = EveryKindForm(data={"start-day": "7", "start-month": "3", "start-year": "2026"})
    form.is_valid()
    assert form.cleaned_data["start"] == dt.date(2026, 3, 7)
    html = render(form["start"])
    for part in ("day", "month", "year"):
        assert f'name="start-{part}"' in html
    assert 'value="7"' in html


def test_impossible_date_has_a_plain_message():
    form = EveryKindForm(data={"start-day": "31", "start-month": "2", "start-year": "2026"})
    form.is_valid()
    assert form.errors["start"] == [f"Enter a real date, for example {example_date()}"]


@pytest.mark.parametrize(
    ("today", "example"),
    [
        (dt.date(2026, 12, 7), "27 3 2027"),
        (dt.date(2027, 3, 28), "27 6 2027"),
        (dt.date(2026, 10, 30), "27 1 2027"),
    ],
)
def test_the_example_date_in_hints_is_always_ahead(today, example):
    assert example_date(today) == example
    day, month, year = (int(part) for part in example.split())
    assert dt.date(year, month, day) > today


@pytest.mark.parametrize(
    ("name", "marker"),
    [
        ("name", 'class="nhsuk-input'),
        ("password", "nhsuk-password-input"),
        ("story", 'class="nhsuk-textarea'),
        ("summary", "nhsuk-character-count"),
        ("region", 'class="nhsuk-select'),
        ("colour", 'class="nhsuk-radios__input"'),
        ("colours", 'class="nhsuk-checkboxes__input"'),
        ("agree", 'class="nhsuk-checkboxes__input"'),
        ("start", "nhsuk-date-input"),
        ("upload", 'type="file"'),
    ],
)
def test_each_kind_renders_with_its_nhs_component(name, marker):
    assert marker in render(EveryKindForm()[name])


def test_choices_keep_the_submitted_value():
    form = EveryKindForm(data={"colour": "green", "colours": ["red", "blue"], "region": "blue"})
    assert 'value="green" checked' in render(form["colour"])
    colours = render(form["colours"])
    assert 'value="red" checked' in colours
    assert 'value="green" checked' not in colours
    assert "selected" in render(form["region"]).split('value="blue"')[1][:20]


def test_a_generic_required_error_names_its_field_in_the_summary_and_inline():
    """Two fields without their own message used to read "This field is required." twice."""
    from django import forms

    from qcommunity.core.forms.nhs_fields import error_summary, params

    class Bare(forms.Form):
        title = forms.CharField(label="Title of the update")
        kind = forms.ChoiceField(label="Kind", choices=[("a", "A")], widget=forms.RadioSelect)
        own = forms.CharField(label="Own", error_messages={"required": "Write your own words"})

    form = Bare({})
    assert not form.is_valid()
    texts = [item["text"] for item in error_summary(form)["errorList"]]
    assert texts == ["Enter title of the update", "Select kind", "Write your own words"]
    assert "This field is required." not in " ".join(texts)
    assert params(form["title"])["errorMessage"]["text"] == "Enter title of the update"
