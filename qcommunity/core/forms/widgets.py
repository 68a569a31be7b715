"""Widgets whose markup the NHS.UK macros draw; they only shape the submitted data."""

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.functional import lazy


def example_date(today: dt.date | None = None) -> str:
    """A date to give as an example in a hint, as the three boxes take it ("27 3 2027"): always
    two to three months ahead, so it never reads as a date already past, and on the 27th so day
    and month cannot be mistaken for each other."""
    today = today or timezone.localdate()
    ahead = today + dt.timedelta(days=90)
    return f"27 {ahead.month} {ahead.year}"


def _example_date_hint() -> str:
    return f"For example, {example_date()}"


def _invalid_date_message() -> str:
    return f"Enter a real date, for example {example_date()}"


# Worked out each time a page shows them, so a long-running server never drifts into the past.
example_date_hint = lazy(_example_date_hint, str)()
invalid_date_message = lazy(_invalid_date_message, str)()


class DateInputWidget(forms.MultiWidget):
    """Three boxes (day, month, year) as the NHS date input expects; submits `<name>-day` etc."""

    parts = ("day", "month", "year")

    def __init__(self, attrs=None):
        super().__init__([forms.TextInput(), forms.TextInput(), forms.TextInput()], attrs)
        self.widgets_names = [f"-{part}" for part in self.parts]

    def decompress(self, value):
        if isinstance(value, dt.date):
            return [value.day, value.month, value.year]
        if isinstance(value, str) and value.count("-") == 2:
            year, month, day = value.split("-")
            return [day, month, year]
        return [None, None, None]

    def value_from_datadict(self, data, files, name):
        day, month, year = (data.get(f"{name}-{part}", "").strip() for part in self.parts)
        if not (day or month or year):
            return None
        month = month.zfill(2) if month.isdigit() else month
        day = day.zfill(2) if day.isdigit() else day
        return f"{year}-{month}-{day}"

    def value_omitted_from_data(self, data, files, name):
        return not any(f"{name}-{part}" in data for part in self.parts)


class UKDateField(forms.DateField):
    widget = DateInputWidget
    input_formats = ["%Y-%m-%d"]
    default_error_messages = {"invalid": invalid_date_message}
