"""Turn Django form fields into the parameters the NHS.UK frontend macros take.

Templates call `nhs.params(form.field)` through the `field` macro in
`templates/includes/forms.jinja`, so every form on the site is drawn the same way.
"""

import datetime as dt
import re

from django import forms
from django.forms.boundfield import BoundField

from .widgets import DateInputWidget

AUTOCOMPLETE = {
    "email": "email",
    "full_name": "name",
    "preferred_name": "nickname",
    "password": "current-password",
    "password1": "new-password",
    "password2": "new-password",
    "oldpassword": "current-password",
    "code": "one-time-code",
}


def kind(bound: BoundField) -> str:
    widget = bound.field.widget
    if isinstance(widget, DateInputWidget):
        return "date"
    if isinstance(widget, forms.CheckboxSelectMultiple):
        return "checkboxes"
    if isinstance(widget, forms.RadioSelect):
        return "radios"
    if isinstance(widget, forms.CheckboxInput):
        return "checkbox"
    if isinstance(widget, forms.Select):
        return "select"
    if isinstance(widget, forms.Textarea):
        has_limit = bound.field.max_length or widget.attrs.get("data-maxwords")
        return "character_count" if has_limit else "textarea"
    if isinstance(widget, forms.FileInput):
        return "file"
    if isinstance(widget, forms.PasswordInput):
        return "password"
    return "input"


# Django's own wording for a missing answer names no field: in an error summary two of them read
# "This field is required." twice. A field without its own message gets one naming it.
GENERIC_REQUIRED = str(forms.Field.default_error_messages["required"])


def named_error(bound: BoundField, text) -> str:
    """`text`, or for Django's generic "This field is required." words naming the field."""
    text = str(text)
    if text != GENERIC_REQUIRED:
        return text
    label = str(bound.label or bound.name.replace("_", " "))
    label = label[:1].lower() + label[1:] if label[1:2].islower() else label
    verb = "Select" if kind(bound) in {"checkboxes", "radios", "select"} else "Enter"
    return f"{verb} {label}" if kind(bound) != "checkbox" else f"Tick “{bound.label}”"


def error_text(bound: BoundField) -> str:
    return " ".join(named_error(bound, e) for e in bound.errors)


def params(bound: BoundField, **overrides) -> dict:  # noqa: PLR0915 (one branch per component)
    """Parameters for the macro `kind(bound)` names; `overrides` are merged in last."""
    field = bound.field
    widget = field.widget
    which = kind(bound)
    # A field a form names in `conditionally_required` is needed only after some other answer
    # (required=False, checked in the form's clean): it is not optional, so not labelled so; its
    # hint says when it is needed ("Required if you choose Not yet").
    conditional = bound.name in getattr(bound.form, "conditionally_required", ())
    optional = not (field.required or conditional or which == "checkbox")
    label_text = str(bound.label) + (" (optional)" if optional else "")
    result: dict = {
        "kind": which,
        "id": bound.id_for_label or bound.auto_id,
        "name": bound.html_name,
    }
    if which in {"checkboxes", "radios", "date", "checkbox"}:
        result["fieldset"] = {"legend": {"text": label_text, "size": "s"}}
    else:
        result["label"] = {"text": label_text}
    if field.help_text:
        result["hint"] = {"text": str(field.help_text)}
    if bound.errors:
        result["errorMessage"] = {"text": error_text(bound)}
    autocomplete = widget.attrs.get("autocomplete") or AUTOCOMPLETE.get(bound.name)
    attributes = {
        k: v
        for k, v in widget.attrs.items()
        if k not in {"class", "autocomplete", "maxlength", "data-maxwords"}
        and not k.startswith("aria-")
    }
    if field.required and which not in {"checkbox", "checkboxes"}:
        attributes["required"] = "required"
    if field.disabled:  # read-only: the browser must not offer a change that is not saved
        attributes["disabled"] = "disabled"
    value = bound.value()

    if which in {"input", "password"}:
        input_type = getattr(widget, "input_type", "text")
        if which == "input":
            result["type"] = input_type
        result["value"] = "" if value is None or which == "password" else str(value)
        if autocomplete:
            result["autocomplete"] = autocomplete
        if input_type == "email":
            result["spellcheck"] = False
    elif which in {"textarea", "character_count"}:
        result["value"] = "" if value is None else str(value)
        result["rows"] = int(widget.attrs.get("rows", 6))
        if which == "character_count":
            if widget.attrs.get("data-maxwords"):
                result["maxwords"] = int(widget.attrs["data-maxwords"])
            else:
                result["maxlength"] = field.max_length
    elif which == "select":
        selected = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        result["items"] = [
            {"value": str(v), "text": str(t), "selected": str(v) in selected}
            for v, t in field.choices
        ]
        result["value"] = None if value is None else str(value)
    elif which in {"checkboxes", "radios"}:
        chosen = {str(v) for v in (value if isinstance(value, list | tuple) else [value])}
        result["idPrefix"] = result.pop("id")
        result["items"] = [
            {"value": str(v), "text": str(t), "checked": str(v) in chosen}
            for v, t in field.choices
            if str(v) != ""
        ]
        if which == "radios":
            result["value"] = None if value is None else str(value)
    elif which == "checkbox":
        result["idPrefix"] = result.pop("id")
        result["items"] = [
            {"value": "on", "text": label_text, "checked": bool(value), "disabled": field.disabled}
        ]
        result["fieldset"] = {"legend": {"text": label_text, "classes": "nhsuk-u-visually-hidden"}}
    elif which == "date":
        base_id = result.pop("id")
        if bound.form.is_bound:  # show exactly what was typed, even when it is not a date
            data = bound.form.data
            parts = [data.get(f"{bound.html_name}-{part}") for part in DateInputWidget.parts]
        else:
            parts = widget.decompress(value)
        widths = {"day": 2, "month": 2, "year": 4}
        error_class = " nhsuk-input--error" if bound.errors else ""
        result["id"] = base_id
        result["items"] = [
            {
                "id": f"{base_id}-{part}",
                "name": f"{bound.html_name}-{part}",
                "label": part.capitalize(),
                "value": "" if parts[i] is None else str(parts[i]),
                "classes": f"nhsuk-input--width-{widths[part]}{error_class}",
                "inputmode": "numeric",
            }
            for i, part in enumerate(DateInputWidget.parts)
        ]
    elif which == "file" and widget.attrs.get("accept"):
        attributes["accept"] = widget.attrs["accept"]
    result["attributes"] = attributes
    result.update(overrides)
    return result


def error_summary(form: forms.BaseForm, title: str = "There is a problem") -> dict | None:
    """Parameters for the error summary: one link per error, pointing at its field."""
    if not form.is_bound or not form.errors:
        return None
    items = [{"text": str(e)} for e in form.non_field_errors()]
    for bound in form:
        if bound.errors:
            anchor = bound.id_for_label or bound.auto_id
            if kind(bound) == "date":
                anchor = f"{bound.auto_id}-day"
            elif kind(bound) in {"checkboxes", "radios", "checkbox"}:
                anchor = f"{bound.auto_id}"
            items.extend(
                {"text": named_error(bound, e), "href": f"#{anchor}"} for e in bound.errors
            )
    return {"titleText": title, "errorList": items}


TIME_PATTERN = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*(am|pm)?$")


def parse_time(text: str) -> dt.time | None:
    """'14:30', '2:30pm', '9am', '9.15 am' to a time; None when it is not a time."""
    match = TIME_PATTERN.match(text.strip().lower().replace(" ", ""))
    if not match:
        return None
    hour, minute, meridiem = int(match.group(1)), int(match.group(2) or 0), match.group(3)
    if meridiem:
        if not 1 <= hour <= 12:
            return None
        hour = hour % 12 + (12 if meridiem == "pm" else 0)
    if hour > 23 or minute > 59:
        return None
    return dt.time(hour, minute)
