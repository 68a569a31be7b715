"""Forms for the member showcase: a member's submission and an editor's reason for returning it."""

from django import forms

from .images import ACCEPT_ATTRIBUTE, ShowcaseImageError, showcase_image_prepare


class ShowcaseForm(forms.Form):
    title = forms.CharField(
        max_length=150,
        help_text="What your work is called, in a few words.",
        error_messages={"required": "Enter a title"},
    )
    summary = forms.CharField(
        max_length=1200,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text="What you did, what changed, and what others could learn from it.",
        error_messages={"required": "Enter a summary"},
    )
    link = forms.URLField(
        label="Web address to find out more",
        max_length=500,
        assume_scheme="https",
        help_text="It must start with https://, for example a project page or a blog post.",
        error_messages={
            "required": "Enter a web address",
            "invalid": "Enter a web address in the right format, like https://example.org/work",
        },
    )
    image = forms.FileField(
        label="Image",
        required=False,
        help_text="A JPG, PNG or WebP file, smaller than 5 MB.",
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT_ATTRIBUTE}),
        error_messages={"empty": "The selected file is empty"},
    )
    image_alt = forms.CharField(
        label="Describe the image",
        required=False,
        max_length=250,
        help_text="For people who cannot see it. Needed if you add an image.",
    )

    def __init__(self, *args, item=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.item = item

    def clean_link(self):
        link = self.cleaned_data["link"]
        if not link.lower().startswith("https://"):
            raise forms.ValidationError("Enter a web address that starts with https://")
        return link

    def clean_image(self):
        upload = self.cleaned_data.get("image")
        if not upload:
            return None
        try:
            return showcase_image_prepare(upload)
        except ShowcaseImageError as error:
            raise forms.ValidationError(str(error)) from None

    def clean(self):
        data = super().clean()
        has_image = data.get("image") or (self.item is not None and self.item.image)
        if has_image and not (data.get("image_alt") or "").strip() and "image" not in self.errors:
            self.add_error("image_alt", "Describe the image for people who cannot see it")
        return data

    @staticmethod
    def initial_for(item) -> dict:
        return {
            "title": item.title,
            "summary": item.summary,
            "link": item.link,
            "image_alt": item.image_alt,
        }


class ShowcaseReturnForm(forms.Form):
    reason = forms.CharField(
        label="Reason for returning it",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text="The member gets this by email. Say what to change.",
        error_messages={"required": "Enter the reason for returning this submission"},
    )
