"""allauth's forms with our fields and NHS-style words.

Registered through ACCOUNT_FORMS and MFA_FORMS. Each form keeps allauth's behaviour; the mixin only
rewrites error messages (matched by error code, so every source of an error gets the same words),
drops placeholders and gives plain hints.
"""

from allauth.account import forms as account_forms
from allauth.core import context as allauth_context
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.recovery_codes import forms as recovery_forms
from allauth.mfa.totp import forms as totp_forms
from allauth.mfa.totp.internal import auth as totp_auth
from django import forms
from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.utils.translation import gettext

EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"
RATE_LIMITED = "Too many attempts. Wait a few minutes and try again."
CODE_REQUIRED = "Enter the 6-digit code from your authenticator app"
CODE_INCORRECT = "The code you entered is not correct"
PASSWORD_HINT = (
    "Your password must be at least 10 characters long. Avoid common words and do not use only "
    "numbers."
)

# Messages by error code, whichever field raises them.
COMMON_MESSAGES = {
    "too_many_login_attempts": RATE_LIMITED,
    "rate_limited": RATE_LIMITED,
    "incorrect_code": CODE_INCORRECT,
    "password_too_short": "Your password must be at least 10 characters long",
    "password_too_common": "Your password is too easy to guess. Choose a less common password",
    "password_entirely_numeric": "Your password must include letters, not only numbers",
    "password_too_similar": "Your password must not be too similar to your name or email address",
    "password_mismatch": "The passwords do not match",
    "add_email_blocked": (
        "You cannot add an email address while two-factor authentication is on. "
        "Turn it off first, then add the new address"
    ),
    "cannot_delete_authenticator": "You cannot turn off two-factor authentication",
    "cannot_generate_recovery_codes": (
        "Set up two-factor authentication before you create recovery codes"
    ),
    "unverified_email": ("Confirm your email address before you set up two-factor authentication"),
}

# Messages for one field, by error code; these win over the common ones.
FIELD_MESSAGES = {
    "login": {"required": "Enter your email address", "invalid": EMAIL_FORMAT},
    "email": {"required": "Enter your email address", "invalid": EMAIL_FORMAT},
    "password": {"required": "Enter your password"},
    "oldpassword": {"required": "Enter your current password"},
    "password1": {"required": "Enter a password"},
    "password2": {"required": "Enter your password again"},
    "full_name": {"required": "Enter your full name"},
    "code": {"required": CODE_REQUIRED},
}

# A few allauth errors carry no code; recognise them by their (translated) words.
UNCODED = {
    "You must type the same password each time.": "password_mismatch",
}


class NhsFormMixin:
    """Rewrites error messages into NHS content style and tidies widgets for the NHS macros."""

    field_messages: dict[str, dict[str, str]] = FIELD_MESSAGES
    hints: dict[str, str] = {}
    labels: dict[str, str] = {}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            field.widget.attrs.pop("placeholder", None)
            # allauth's help texts are HTML (a reset link, validator lists); our pages say it in
            # words instead.
            field.help_text = self.hints.get(name, "")
            if name in self.labels:
                field.label = self.labels[name]

    def _nhs_message(self, field: str | None, error: ValidationError) -> ValidationError:
        code = error.code
        if code is None:
            code = next((c for text, c in UNCODED.items() if gettext(text) == error.message), None)
        messages = self.field_messages.get(field or "", {})
        text = messages.get(code) or COMMON_MESSAGES.get(code)
        if text is None:
            return error
        return ValidationError(text, code=code)

    def add_error(self, field, error) -> None:
        if not isinstance(error, ValidationError):
            error = ValidationError(error)
        if not hasattr(error, "error_dict"):
            rewritten: list[ValidationError] = []
            for item in error.error_list:
                new = self._nhs_message(field, item)
                if all(new.message != old.message for old in rewritten):
                    rewritten.append(new)
            error = ValidationError(rewritten)
        super().add_error(field, error)


class LoginForm(NhsFormMixin, account_forms.LoginForm):
    labels = {"login": "Email address", "password": "Password"}


class SignupForm(NhsFormMixin, account_forms.SignupForm):
    """Sign-up with the names the site addresses people by."""

    full_name = forms.CharField(max_length=200, label="Full name")
    preferred_name = forms.CharField(max_length=100, required=False, label="Preferred name")
    field_order = ["full_name", "preferred_name", "email", "password1", "password2"]
    labels = {
        "email": "Email address",
        "password1": "Create a password",
        "password2": "Confirm your password",
    }
    hints = {
        "preferred_name": "What should we call you? For example, Sam.",
        "email": "We will send you a link to confirm it.",
        "password1": PASSWORD_HINT,
    }

    def try_save(self, request):
        """For an address that already has an account allauth creates nothing and emails the
        owner; a new account costs a password hash. Hash the password here too (and throw it
        away), so the time the answer takes does not tell anyone the address has an account."""
        if self.account_already_exists:
            make_password(self.cleaned_data.get("password1"))
        return super().try_save(request)

    def custom_signup(self, request, user) -> None:
        user.full_name = self.cleaned_data["full_name"]
        user.preferred_name = self.cleaned_data.get("preferred_name", "")
        user.save(update_fields=["full_name", "preferred_name"])
        super().custom_signup(request, user)


class AddEmailForm(NhsFormMixin, account_forms.AddEmailForm):
    labels = {"email": "New email address"}
    hints = {
        "email": "We will send a link to this address. It replaces your current one once "
        "you confirm it."
    }
    field_messages = {
        **FIELD_MESSAGES,
        "email": {"required": "Enter your new email address", "invalid": EMAIL_FORMAT},
    }


class ChangePasswordForm(NhsFormMixin, account_forms.ChangePasswordForm):
    labels = {
        "oldpassword": "Current password",
        "password1": "New password",
        "password2": "Confirm your new password",
    }
    hints = {"password1": PASSWORD_HINT}
    field_messages = {
        **FIELD_MESSAGES,
        "password1": {"required": "Enter a new password"},
        "password2": {"required": "Enter your new password again"},
    }


class SetPasswordForm(NhsFormMixin, account_forms.SetPasswordForm):
    labels = {"password1": "Create a password", "password2": "Confirm your password"}
    hints = {"password1": PASSWORD_HINT}


class ResetPasswordForm(NhsFormMixin, account_forms.ResetPasswordForm):
    labels = {"email": "Email address"}


class ResetPasswordKeyForm(NhsFormMixin, account_forms.ResetPasswordKeyForm):
    labels = {"password1": "New password", "password2": "Confirm your new password"}
    hints = {"password1": PASSWORD_HINT}
    field_messages = {
        **FIELD_MESSAGES,
        "password1": {"required": "Enter a new password"},
        "password2": {"required": "Enter your new password again"},
    }


class ReauthenticateForm(NhsFormMixin, account_forms.ReauthenticateForm):
    labels = {"password": "Password"}


class AuthenticateForm(NhsFormMixin, mfa_base_forms.AuthenticateForm):
    labels = {"code": "Security code"}
    hints = {
        "code": "Enter the 6-digit code from your authenticator app. If you cannot use the app, "
        "enter one of your recovery codes."
    }


class MfaReauthenticateForm(NhsFormMixin, mfa_base_forms.ReauthenticateForm):
    labels = {"code": "Security code"}
    hints = AuthenticateForm.hints


class ActivateTOTPForm(NhsFormMixin, totp_forms.ActivateTOTPForm):
    """allauth makes a new secret on every GET of the set-up page, so someone who scans the QR
    code and then reloads the page holds a key that no longer works. The pending secret is kept
    in the session until it is confirmed (allauth clears it on activation), so every load shows
    the same key and QR code."""

    labels = {"code": "Security code"}
    hints = {"code": "The 6-digit code your authenticator app shows for Q Community."}

    def __init__(self, *args, **kwargs) -> None:
        session = allauth_context.request.session
        pending = session.get(totp_auth.SECRET_SESSION_KEY)
        super().__init__(*args, **kwargs)
        if pending and self.secret != pending:
            session[totp_auth.SECRET_SESSION_KEY] = self.secret = pending


class DeactivateTOTPForm(NhsFormMixin, totp_forms.DeactivateTOTPForm):
    pass


class GenerateRecoveryCodesForm(NhsFormMixin, recovery_forms.GenerateRecoveryCodesForm):
    pass
