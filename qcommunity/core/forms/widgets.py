"""Widgets whose markup the NHS.UK macros draw; they only shape the submitted data."""

import datetime as dt

from django import forms


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
    default_error_messages = {"invalid": "Enter a real date, for example 27 3 2026"}
