"""Forms for a member's own entry and for contacting a member, in member-facing words."""

from django import forms
from django.core.validators import URLValidator

from qcommunity.core.taxonomy import OrganisationType, Region, RoleType

from .enums import Visibility
from .models import Approach, Offer, Topic
from .photos import ACCEPT_ATTRIBUTE, PhotoError, photo_prepare

MAX_LINKS = 5
WORKING_ON_MAX = 2000
CONTACT_BODY_MAX = 2000


def choice_error(what: str) -> dict:
    # Error text for people, not SQL, whatever the "select ... from" pattern suggests.
    return {
        "invalid_choice": f"Select {what} from the list",  # noqa: S608
        "invalid_pk_value": f"Select {what}",
    }


def _term_field(label: str, model, noun: str) -> forms.ModelMultipleChoiceField:
    """Checkboxes for one of the taxonomies staff edit (topics, approaches, offers)."""
    return forms.ModelMultipleChoiceField(
        label=label,
        queryset=model.objects.all(),
        required=False,
        to_field_name="slug",
        widget=forms.CheckboxSelectMultiple,
        error_messages=choice_error(noun),
    )


class ProfileForm(forms.Form):
    """The entry's own fields. Topics, approaches and offers are returned as querysets for
    `profile_update`; links as a list of {"label", "url"}."""

    pronouns = forms.CharField(
        label="Your pronouns",
        required=False,
        max_length=40,
        help_text="For example, she/her, he/him or they/them",
    )
    job_title = forms.CharField(label="Your job title", required=False, max_length=150)
    organisation = forms.CharField(label="Where you work", required=False, max_length=200)
    organisation_type = forms.ChoiceField(
        label="What kind of organisation is it?",
        required=False,
        choices=[("", "Choose a type of organisation"), *OrganisationType.choices],
        error_messages=choice_error("a type of organisation"),
    )
    role_types = forms.MultipleChoiceField(
        label="Which of these describe you?",
        required=False,
        choices=RoleType.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages=choice_error("a description"),
    )
    region = forms.ChoiceField(
        label="Your region",
        required=False,
        choices=[("", "Choose a region"), *Region.choices],
        help_text="Your nation is worked out from your region",
        error_messages=choice_error("a region"),
    )
    topics = _term_field("Topics you are interested in", Topic, "a topic")
    approaches = _term_field("Improvement approaches you use", Approach, "an approach")
    offers = _term_field("What you can offer other members", Offer, "something you can offer")
    working_on = forms.CharField(
        label="What are you working on at the moment?",
        required=False,
        max_length=WORKING_ON_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        help_text=(
            "You can use markdown formatting: **bold**, *italic*, lists starting with a dash, "
            "and links written as [text](https://example.org)"
        ),
        error_messages={
            "max_length": f"What you are working on must be {WORKING_ON_MAX} characters or fewer"
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for n in range(1, MAX_LINKS + 1):
            self.fields[f"link_{n}_label"] = forms.CharField(
                label=f"Link {n}: what it is",
                required=False,
                max_length=80,
                help_text="For example, My blog" if n == 1 else "",
            )
            self.fields[f"link_{n}_url"] = forms.CharField(
                label=f"Link {n}: web address",
                required=False,
                max_length=500,
                help_text="Starting with https://" if n == 1 else "",
            )

    @classmethod
    def initial_for(cls, profile) -> dict:
        initial = {
            "pronouns": profile.pronouns,
            "job_title": profile.job_title,
            "organisation": profile.organisation,
            "organisation_type": profile.organisation_type,
            "role_types": list(profile.role_types),
            "region": profile.region,
            "topics": [t.slug for t in profile.topics.all()],
            "approaches": [a.slug for a in profile.approaches.all()],
            "offers": [o.slug for o in profile.offers.all()],
            "working_on": profile.working_on,
        }
        for n, link in enumerate(profile.links[:MAX_LINKS], start=1):
            initial[f"link_{n}_label"] = link.get("label", "")
            initial[f"link_{n}_url"] = link.get("url", "")
        return initial

    def clean(self):
        cleaned = super().clean()
        https_only = URLValidator(schemes=["https"])
        links = []
        for n in range(1, MAX_LINKS + 1):
            label = (cleaned.get(f"link_{n}_label") or "").strip()
            url = (cleaned.get(f"link_{n}_url") or "").strip()
            if not label and not url:
                continue
            if not url:
                self.add_error(f"link_{n}_url", f"Enter the web address for link {n}")
                continue
            try:
                https_only(url)
            except forms.ValidationError:
                self.add_error(
                    f"link_{n}_url",
                    f"Enter the web address for link {n} starting with https://, "
                    "for example https://example.org",
                )
                continue
            links.append({"label": label or url, "url": url})
        cleaned["links"] = links
        return cleaned

    def profile_fields(self) -> dict:
        """The entry's own columns, ready for `profile_update(fields=...)`."""
        names = ("pronouns", "job_title", "organisation", "organisation_type", "region")
        fields = {name: self.cleaned_data[name].strip() for name in names}
        fields["role_types"] = list(self.cleaned_data["role_types"])
        fields["working_on"] = self.cleaned_data["working_on"].strip()
        fields["links"] = self.cleaned_data["links"]
        return fields


class PhotoForm(forms.Form):
    photo = forms.FileField(
        label="Upload a photo of yourself",
        help_text="A JPG, PNG or WebP file, smaller than 5 MB",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={
            "required": "Select a photo to upload",
            "empty": "The selected file is empty",
        },
    )

    def clean_photo(self):
        try:
            return photo_prepare(self.cleaned_data["photo"])
        except PhotoError as error:
            raise forms.ValidationError(str(error)) from None


VISIBILITY_CHOICES = [
    (Visibility.HIDDEN, "Hidden: only you and Q staff can see your entry"),
    (Visibility.MEMBERS, "Q members: people signed in as Q members can see your entry"),
    (Visibility.PUBLIC, "Everyone: anyone can see your entry, including people not signed in"),
]


class VisibilityForm(forms.Form):
    visibility = forms.ChoiceField(
        label="Who can see your directory entry?",
        choices=VISIBILITY_CHOICES,
        widget=forms.RadioSelect,
        help_text="Your email address is never shown. Members can contact you through a form.",
        error_messages={
            "required": "Select who can see your entry",
            **choice_error("who can see your entry"),
        },
    )


class MessagesForm(forms.Form):
    accepts_messages = forms.TypedChoiceField(
        label="Can other members send you messages through the site?",
        choices=[
            ("yes", "Yes, pass on messages from members by email"),
            ("no", "No, do not take messages through the site"),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        help_text="This covers the “Contact this member” form on your entry and messages from "
        "random coffee partners. If you say no, members are told only that you are not taking "
        "messages through the site, not why.",
        error_messages={
            "required": "Select whether members can send you messages",
            **choice_error("whether members can send you messages"),
        },
    )


class ContactForm(forms.Form):
    subject = forms.CharField(
        label="Subject",
        max_length=150,
        error_messages={
            "required": "Enter a subject",
            "max_length": "The subject must be 150 characters or fewer",
        },
    )
    body = forms.CharField(
        label="Your message",
        max_length=CONTACT_BODY_MAX,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "required": "Enter your message",
            "max_length": f"Your message must be {CONTACT_BODY_MAX} characters or fewer",
        },
    )
    allow_reply = forms.BooleanField(required=False)

    def __init__(self, *args, recipient_name: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["allow_reply"].label = f"Let {recipient_name} reply to my email address"
        self.fields["allow_reply"].help_text = (
            f"If you tick this, {recipient_name} can reply straight to your email address. "
            "If not, they will only see your name and a link to your directory entry."
        )
