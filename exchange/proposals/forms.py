"""Forms of a proposal's editing pages. They only shape what was typed; the services decide
(word limits, the funding cap, who may do what) and their messages are shown on the fields."""

from django import forms

from members.models import Topic
from qcommunity.core.forms.widgets import UKDateField, example_date_hint
from qcommunity.core.taxonomy import Region

from ..rounds.models import Round
from .enums import TimelineStatus
from .models import Proposal
from .services import ACCEPT_ATTRIBUTE


def _theme_field(round_: Round) -> forms.ChoiceField:
    return forms.ChoiceField(
        label="Which theme question does it answer?",
        choices=[(str(t.pk), f"{t.name}: {t.question}") for t in round_.themes.all()],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose a theme", "invalid_choice": "Choose a theme"},
    )


class IdeaForm(forms.Form):
    title = forms.CharField(
        label="Title",
        max_length=150,
        help_text="A short name for your idea, for example “Peer support for new ward managers”",
        error_messages={
            "required": "Enter a title",
            "max_length": "Title must be 150 characters or fewer",
        },
    )
    summary = forms.CharField(
        label="One-line summary",
        max_length=300,
        help_text="What you want to do, in one sentence",
        error_messages={
            "required": "Enter a one-line summary",
            "max_length": "The summary must be one line of 300 characters or fewer",
        },
    )

    def __init__(self, *args, round_: Round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["theme"] = _theme_field(round_)


class ProposalEditForm(forms.Form):
    """Title, summary and theme; an answer per section of the round (with its word limit for
    the live count); topics, regions and the amount asked for."""

    title = IdeaForm.base_fields["title"]
    summary = IdeaForm.base_fields["summary"]

    def __init__(self, *args, proposal: Proposal, sections, **kwargs):
        self.sections = list(sections)
        if not args or args[0] is None:
            kwargs.setdefault("initial", self.initial_for(proposal, self.sections))
        super().__init__(*args, **kwargs)
        round_ = proposal.round
        self.fields["theme"] = _theme_field(round_)
        for section in self.sections:
            self.fields[f"answer_{section.pk}"] = forms.CharField(
                label=section.question,
                required=False,
                max_length=30000,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 10, "data-maxwords": str(section.word_limit)}),
                error_messages={"max_length": "Your answer must be 30,000 characters or fewer"},
            )
        self.fields["topics"] = forms.MultipleChoiceField(
            label="Topics",
            required=False,
            choices=[(str(t.pk), t.name) for t in Topic.objects.order_by("name")],
            widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply. People browsing Q Exchange can find it by topic.",
            error_messages={"invalid_choice": "Choose topics from the list"},
        )
        self.fields["regions"] = forms.MultipleChoiceField(
            label="Regions where the work happens",
            required=False,
            choices=Region.choices,
            widget=forms.CheckboxSelectMultiple,
            help_text="Select all that apply",
            error_messages={"invalid_choice": "Choose regions from the list"},
        )
        self.fields["amount_requested"] = forms.IntegerField(
            label="Funding you are asking for, in pounds",
            required=False,
            min_value=0,
            help_text=f"Up to £{round_.funding_cap:,}. Whole pounds, for example 25000",
            widget=forms.TextInput(attrs={"inputmode": "numeric"}),
            error_messages={
                "invalid": "Enter the amount as a whole number of pounds, for example 25000",
                "min_value": "Enter an amount of £0 or more",
            },
        )

    @staticmethod
    def initial_for(proposal: Proposal, sections) -> dict:
        answers = {a.section_id: a.text for a in proposal.answers.all()}
        initial = {
            "title": proposal.title,
            "summary": proposal.summary,
            "theme": str(proposal.theme_id),
            "topics": [str(t.pk) for t in proposal.topics.all()],
            "regions": list(proposal.regions),
            "amount_requested": proposal.amount_requested,
        }
        for section in sections:
            initial[f"answer_{section.pk}"] = answers.get(section.pk, "")
        return initial

    def answer_fields(self):
        return [(s, self[f"answer_{s.pk}"]) for s in self.sections]

    def answers(self) -> dict[int, str]:
        """What was typed for each section (kept as typed even when the form has errors)."""
        return {s.pk: (self.data.get(f"answer_{s.pk}") or "").strip() for s in self.sections}


class TeamInviteForm(forms.Form):
    email = forms.EmailField(
        label="Their email address",
        help_text="The address they use to sign in to Q Community",
        error_messages={
            "required": "Enter their email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )
    invite_role_line = forms.CharField(
        label="Their role in the project",
        required=False,
        max_length=200,
        help_text="For example, “Clinical lead” or “Patient partner”",
        error_messages={"max_length": "The role must be 200 characters or fewer"},
    )
    co_author = forms.ChoiceField(
        label="Can they change the proposal?",
        choices=[
            ("yes", "Yes, invite them to co-author it"),
            ("no", "No, name them in the team only"),
        ],
        initial="yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose whether they can change the proposal"},
    )


class TeamNameForm(forms.Form):
    team_name = forms.CharField(
        label="Team name (optional)",
        required=False,
        max_length=100,
        help_text="If your team goes by a name, for example “#QIFaculty”. The page shows "
        "“Meet the team: #QIFaculty”.",
        error_messages={"max_length": "The team name must be 100 characters or fewer"},
    )


class TeamNamedForm(forms.Form):
    name = forms.CharField(
        label="Their name",
        max_length=150,
        error_messages={
            "required": "Enter their name",
            "max_length": "The name must be 150 characters or fewer",
        },
    )
    role_line = forms.CharField(
        label="Their role in the project",
        required=False,
        max_length=200,
        help_text="For example, “Carer and co-designer”",
        error_messages={"max_length": "The role must be 200 characters or fewer"},
    )


class ContributionsForm(forms.Form):
    points = forms.CharField(
        label="How people can contribute",
        required=False,
        max_length=10000,
        help_text="One point on each line, for example “Share how you run peer support”",
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"max_length": "The points must be 10,000 characters or fewer in all"},
    )


class StepAddForm(forms.Form):
    on = UKDateField(
        label="Date",
        help_text=example_date_hint,
        error_messages={"required": "Enter the date of the step"},
    )
    title = forms.CharField(
        label="What happens",
        max_length=200,
        error_messages={
            "required": "Enter what happens on that date",
            "max_length": "The step must be 200 characters or fewer",
        },
    )


class StepChangeForm(forms.Form):
    status = forms.ChoiceField(
        label="What happened to this step?",
        choices=[
            (TimelineStatus.DONE, "It is done"),
            (TimelineStatus.MOVED, "It moved to another date"),
            (TimelineStatus.DROPPED, "We dropped it"),
        ],
        widget=forms.RadioSelect,
        error_messages={
            "required": "Choose what happened",
            "invalid_choice": "Choose what happened",
        },
    )
    new_on = UKDateField(label="New date (if it moved)", required=False)
    reason = forms.CharField(
        label="Why (if it moved or was dropped)",
        required=False,
        max_length=500,
        error_messages={"max_length": "The reason must be 500 characters or fewer"},
    )


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label="Upload a file",
        help_text=(
            "PDF, Word (.docx or .doc), Excel (.xlsx) or a picture (PNG, JPG, GIF or WebP), "
            "smaller than 10 MB"
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={
            "required": "Select a file to attach",
            "empty": "The selected file is empty",
        },
    )
    title = forms.CharField(
        label="Title",
        required=False,
        max_length=200,
        help_text=(
            "What the file is, for example “Budget”. We use the file name if you leave it blank"
        ),
        error_messages={"max_length": "The title must be 200 characters or fewer"},
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why are you withdrawing it?",
        required=False,
        max_length=2000,
        help_text="This helps the Q Exchange team. It is not shown on the page.",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"max_length": "The reason must be 2,000 characters or fewer"},
    )


class LeadHandoverForm(forms.Form):
    """Whom the lead asks to take over: one of the team's members of Q."""

    def __init__(self, *args, candidates, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"] = forms.ChoiceField(
            label="Who should take over as lead?",
            choices=[(str(m.pk), m.user.get_full_name()) for m in candidates],
            widget=forms.RadioSelect,
            help_text="They must be in the team and be a member of Q. Nothing changes until they "
            "accept.",
            error_messages={
                "required": "Choose who should take over as lead",
                "invalid_choice": "Choose someone in the team who is a member of Q",
            },
        )
