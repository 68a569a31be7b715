from django import forms


class SignupDetailsForm(forms.Form):
    """Extra fields allauth adds to its sign-up form."""

    full_name = forms.CharField(
        max_length=200, label="Full name", widget=forms.TextInput(attrs={"autocomplete": "name"})
    )
    preferred_name = forms.CharField(
        max_length=100,
        required=False,
        label="Preferred name",
        help_text="What should we call you? For example, Sam.",
        widget=forms.TextInput(attrs={"autocomplete": "nickname"}),
    )
    field_order = ["full_name", "preferred_name", "email", "password1", "password2"]

    def signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_name = self.cleaned_data.get("preferred_name", "")
        user.save(update_fields=["full_name", "preferred_name"])
