"""One convention for a service that refuses: every app's service error is a `ServiceError`
(a message for the person, and messages for the form fields at fault), services check
permissions with `require_perm`, and views put a refusal on their form with `form_add_error`.

    class ExchangeError(ServiceError): ...

    require_perm(actor, "exchange.change_proposal", proposal, error=ExchangeError)

    except ExchangeError as error:
        form_add_error(form, error)
        return self.form_invalid(form)
"""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.forms import Form

PERMISSION_MESSAGE = "You do not have permission to do that."


class ServiceError(Exception):
    """The action was not taken. `str(error)` says why in words for the person; `errors` maps
    form field names to messages for the fields at fault (a service names fields by the
    arguments it took; a form whose fields are called otherwise maps them in `form_add_error`)."""

    def __init__(self, message: str, errors: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.errors = dict(errors or {})


def require_perm(actor, perm: str, obj=None, *, error: type[ServiceError] = ServiceError) -> None:
    """Refuse (raise `error`) unless `actor` has the django-rules permission `perm` on `obj`.
    The system acting alone (`actor` None) has no permissions: a service that the scheduler
    may call says so itself before it checks."""
    if actor is None or not actor.has_perm(perm, obj):
        raise error(PERMISSION_MESSAGE)


def form_add_error(
    form: Form,
    error: ServiceError | ValidationError,
    *,
    fields: Mapping[str, str] | None = None,
    fallback: str | None = None,
) -> None:
    """Show a service's refusal on `form`: each field message next to the field it names
    (through `fields`, {service name: form field name}, where the form calls it otherwise);
    a message for a field the form lacks or does not let the person change goes to `fallback`
    (a field name, or the top of the form when None). When no field is named, the refusal's
    own message goes to `fallback`. Also takes a Django `ValidationError`, which some
    services raise from `full_clean`."""
    if isinstance(error, ValidationError):
        if hasattr(error, "error_dict"):
            named = dict(error.message_dict)
            message = None
        else:
            named, message = {}, error.messages
    else:
        named, message = error.errors, str(error)
    fields = fields or {}
    for name, text in named.items():
        target = fields.get(name, name)
        usable = target in form.fields and not form.fields[target].disabled
        form.add_error(target if usable else fallback, text)
    if not named:
        form.add_error(fallback, message)
