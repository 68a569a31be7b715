"""The one convention for a service's refusal: a ServiceError's field messages land on the form
fields they name (through a form's own names where it has them), the rest and the message at the
top or on a chosen field; `require_perm` refuses anyone without the permission, and nobody at
all when no one acts."""

import pytest
from django import forms
from django.core.exceptions import ValidationError

from exchange.rounds.services import ExchangeError
from members.joining.services import JoiningError
from qcommunity.core.errors import PERMISSION_MESSAGE, ServiceError, form_add_error, require_perm
from qcommunity.newsletters.issues.services import ComposeError
from qcommunity.newsletters.showcase.services import ShowcaseError
from qcommunity.scoring.services import ScoringError
from tests.factories.accounts import UserFactory


class ExampleForm(forms.Form):
    title = forms.CharField(required=False)
    closes_at_date = forms.CharField(required=False)
    locked = forms.CharField(required=False, disabled=True)


def bound():
    form = ExampleForm({"title": "x"})
    assert form.is_valid()
    return form


def test_field_messages_go_to_their_fields_and_the_rest_to_the_top():
    form = bound()
    form_add_error(
        form,
        ServiceError("Not saved", {"title": "Too long", "nowhere": "Odd", "locked": "Fixed"}),
    )
    assert form.errors["title"] == ["Too long"]
    assert form.non_field_errors() == ["Odd", "Fixed"]
    assert "Not saved" not in str(form.errors)


def test_a_refusal_without_field_messages_shows_its_message():
    form = bound()
    form_add_error(form, ServiceError("Voting has closed."))
    assert form.non_field_errors() == ["Voting has closed."]


def test_a_form_maps_the_services_names_to_its_own_and_a_fallback_field_takes_the_rest():
    form = bound()
    form_add_error(
        form,
        ServiceError("Not saved", {"closes_at": "Must be later", "other": "Odd"}),
        fields={"closes_at": "closes_at_date"},
        fallback="title",
    )
    assert form.errors["closes_at_date"] == ["Must be later"]
    assert form.errors["title"] == ["Odd"]
    form = bound()
    form_add_error(form, ServiceError("Comments have closed."), fallback="title")
    assert form.errors["title"] == ["Comments have closed."]


def test_a_django_validation_error_is_shown_the_same_way():
    form = bound()
    form_add_error(form, ValidationError({"title": "Enter a title", "elsewhere": "Odd"}))
    assert form.errors["title"] == ["Enter a title"]
    assert form.non_field_errors() == ["Odd"]
    form = bound()
    form_add_error(form, ValidationError("Whole form"))
    assert form.non_field_errors() == ["Whole form"]


@pytest.mark.parametrize(
    "error", [ExchangeError, JoiningError, ScoringError, ComposeError, ShowcaseError]
)
def test_every_apps_service_error_is_a_service_error(error):
    raised = error("No", {"title": "Bad"})
    assert isinstance(raised, ServiceError)
    assert (str(raised), raised.errors) == ("No", {"title": "Bad"})


@pytest.mark.django_db
def test_require_perm_refuses_without_the_permission_and_when_no_one_acts():
    staff = UserFactory(is_superuser=True)
    require_perm(staff, "exchange.manage_rounds")
    with pytest.raises(ExchangeError, match=PERMISSION_MESSAGE):
        require_perm(UserFactory(), "exchange.manage_rounds", error=ExchangeError)
    with pytest.raises(ServiceError):
        require_perm(None, "exchange.manage_rounds")
