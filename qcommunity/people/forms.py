from django import forms

from qcommunity.accounts.roles import all_roles

from .selectors import STATUS_ACTIVE, STATUS_SUSPENDED
from .services import REASON_MAX


class PeopleSearchForm(forms.Form):
    q = forms.CharField(
        label="Name, email or organisation",
        required=False,
        max_length=200,
        help_text="Close spellings of names match too.",
    )
    role = forms.ChoiceField(label="Role", required=False)
    status = forms.ChoiceField(
        label="Account",
        required=False,
        choices=[("", "Any"), (STATUS_ACTIVE, "Active"), (STATUS_SUSPENDED, "Suspended")],
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", "Any role")] + [
            (kind.key, kind.label) for kind in all_roles()
        ]


class RoleChoiceForm(forms.Form):
    """The first step of giving a role: which one."""

    role = forms.ChoiceField(label="Which role?", widget=forms.RadioSelect)

    def __init__(self, *args, kinds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(kind.key, kind.label) for kind in kinds]
        self.kinds = {kind.key: kind for kind in kinds}


def reason_field(label: str, hint: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=hint,
        max_length=REASON_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Enter a reason"},
    )


class RoleGrantForm(forms.Form):
    scope = forms.ChoiceField(label="For which?", required=False)
    reason = reason_field(
        "Why are you giving this role?",
        "For example, 'Founding member' or 'Joining the Wessex panel for wave 3'. The person "
        "sees this in their email and it is kept in the audit log.",
    )

    def __init__(self, *args, kind, **kwargs):
        super().__init__(*args, **kwargs)
        if kind.scoped:
            self.fields["scope"].required = True
            self.fields["scope"].label = kind.scope_label
            prompt = ("", f"Choose a {kind.scope_label.lower()}")
            self.fields["scope"].choices = [prompt, *kind.scopes()]
        else:
            del self.fields["scope"]


class ReasonForm(forms.Form):
    reason = reason_field(
        "Why?", "The person sees this in their email and it is kept in the audit log."
    )


class InvitationListForm(forms.Form):
    """A list of invitations to check: a CSV file, or the same rows pasted in."""

    csv_file = forms.FileField(
        label="Upload a CSV file",
        required=False,
        help_text="Columns: name, email, role and scope (scope only for roles that have one).",
    )
    rows = forms.CharField(
        label="Or paste the rows",
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text="The same columns, with the header row first.",
    )
    reason = reason_field(
        "Why are you inviting them?",
        "For example, 'Wave 3 panel members'. The people invited see this in their email.",
    )

    def content(self) -> bytes:
        upload = self.cleaned_data.get("csv_file")
        if upload is not None:
            return upload.read()
        return self.cleaned_data.get("rows", "").encode()

    def clean(self):
        data = super().clean()
        if not data.get("csv_file") and not data.get("rows", "").strip():
            self.add_error("csv_file", "Upload a CSV file or paste the rows")
        return data


class InvitationFilterForm(forms.Form):
    status = forms.ChoiceField(
        label="Show",
        required=False,
        choices=[
            ("", "All invitations"),
            ("waiting", "Waiting"),
            ("expired", "Expired"),
            ("accepted", "Accepted"),
            ("revoked", "Withdrawn"),
        ],
    )
