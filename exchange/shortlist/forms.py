"""Forms of Q Exchange shortlisting that only it has: the round's criteria and scale, and a new
panel (the workspace's forms are the kit's, `qcommunity.scoring.forms`). They check the shape
of what was sent; the services check the rules and say why in words."""

from django import forms

from qcommunity.scoring.services import CriterionSpec, ScalePointSpec

CRITERIA_ROWS = 6
SCALE_ROWS = 6

# A starting scale for a round's first criteria (staff can change every word).
DEFAULT_SCALE = [
    ScalePointSpec(0, "Not shown", "The proposal does not address this."),
    ScalePointSpec(1, "Weak", "Addressed, but with little detail or evidence."),
    ScalePointSpec(2, "Adequate", "Addressed clearly, with some evidence."),
    ScalePointSpec(3, "Strong", "Addressed convincingly, with good evidence."),
    ScalePointSpec(4, "Excellent", "Addressed exceptionally well; a model for others."),
]


class CriteriaForm(forms.Form):
    """Up to `CRITERIA_ROWS` criteria (title and what it means) and `SCALE_ROWS` scale points
    (score, label, what it means). Empty rows are left out."""

    def __init__(self, *args, locked: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.locked = locked
        for i in range(1, CRITERIA_ROWS + 1):
            self.fields[f"criterion_{i}_title"] = forms.CharField(
                label=f"Criterion {i}", required=False, max_length=200, disabled=locked
            )
            self.fields[f"criterion_{i}_description"] = forms.CharField(
                label=f"What criterion {i} means",
                required=False,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 2}),
                disabled=locked,
            )
        for i in range(1, SCALE_ROWS + 1):
            self.fields[f"scale_{i}_value"] = forms.IntegerField(
                label=f"Score {i}",
                required=False,
                min_value=0,
                max_value=100,
                disabled=locked,
                error_messages={
                    "invalid": "Enter a whole number",
                    "min_value": "Enter a score of 0 or more",
                    "max_value": "Enter a score of 100 or less",
                },
            )
            self.fields[f"scale_{i}_label"] = forms.CharField(
                label=f"Label for score {i}", required=False, max_length=100, disabled=locked
            )
            self.fields[f"scale_{i}_descriptor"] = forms.CharField(
                label=f"What score {i} means",
                required=False,
                max_length=2000,
                disabled=locked,
            )

    @classmethod
    def initial_for(cls, scheme) -> dict:
        initial = {}
        if scheme is None:
            criteria, scale = [], DEFAULT_SCALE
        else:
            criteria = list(scheme.criteria.all())
            scale = list(scheme.scale_points.all())
        for i, c in enumerate(criteria, start=1):
            initial[f"criterion_{i}_title"] = c.title
            initial[f"criterion_{i}_description"] = c.description
        for i, p in enumerate(scale, start=1):
            initial[f"scale_{i}_value"] = p.value
            initial[f"scale_{i}_label"] = p.label
            initial[f"scale_{i}_descriptor"] = p.descriptor
        return initial

    def clean(self):
        data = super().clean()
        for i in range(1, CRITERIA_ROWS + 1):
            title = (data.get(f"criterion_{i}_title") or "").strip()
            description = (data.get(f"criterion_{i}_description") or "").strip()
            if description and not title:
                self.add_error(f"criterion_{i}_title", f"Enter a title for criterion {i}")
            if title and not description:
                self.add_error(
                    f"criterion_{i}_description", f"Say what criterion {i} means for reviewers"
                )
        for i in range(1, SCALE_ROWS + 1):
            value = data.get(f"scale_{i}_value")
            label = (data.get(f"scale_{i}_label") or "").strip()
            descriptor = (data.get(f"scale_{i}_descriptor") or "").strip()
            if (label or descriptor) and value is None and f"scale_{i}_value" not in self.errors:
                self.add_error(f"scale_{i}_value", f"Enter score {i}")
            if value is not None and not label:
                self.add_error(f"scale_{i}_label", f"Enter a label for score {i}")
            if value is not None and not descriptor:
                self.add_error(f"scale_{i}_descriptor", f"Say what score {i} means")
        return data

    def criteria(self) -> list[CriterionSpec]:
        data = self.cleaned_data
        return [
            CriterionSpec(
                data[f"criterion_{i}_title"].strip(), data[f"criterion_{i}_description"].strip()
            )
            for i in range(1, CRITERIA_ROWS + 1)
            if (data.get(f"criterion_{i}_title") or "").strip()
        ]

    def scale(self) -> list[ScalePointSpec]:
        data = self.cleaned_data
        return [
            ScalePointSpec(
                data[f"scale_{i}_value"],
                data[f"scale_{i}_label"].strip(),
                data[f"scale_{i}_descriptor"].strip(),
            )
            for i in range(1, SCALE_ROWS + 1)
            if data.get(f"scale_{i}_value") is not None
        ]


class PanelCreateForm(forms.Form):
    name = forms.CharField(
        label="Panel name",
        max_length=200,
        help_text="For example, Shortlisting panel A.",
        error_messages={"required": "Enter a name for the panel"},
    )
    reviews_needed = forms.TypedChoiceField(
        label="Reviewers per proposal",
        choices=[(n, str(n)) for n in range(1, 6)],
        coerce=int,
        initial=2,
        error_messages={"invalid_choice": "Choose from 1 to 5 reviewers per proposal"},
    )
