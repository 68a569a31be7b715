"""The eligibility check and the small selectors the join page uses."""

import datetime as dt

import pytest
from django.utils import timezone

from members.joining.eligibility import eligibility_check, nomination_code_find
from members.joining.enums import Phase
from members.joining.models import NominationCode, Round
from members.joining.selectors import round_get_published, rounds_opening_soon
from members.joining.services import application_create, application_save_draft
from qcommunity.core.taxonomy import Region
from tests.factories.accounts import UserFactory
from tests.factories.joining import make_round

pytestmark = pytest.mark.django_db


def test_regional_round_is_open_only_to_its_regions(staff_admin):
    round_ = make_round(staff_admin, regions=(Region.WESSEX, Region.OXFORD))
    [yes] = eligibility_check(rounds=[round_], region=Region.OXFORD)
    [no] = eligibility_check(rounds=[round_], region=Region.WALES)
    assert (yes.eligible, yes.reasons) == (True, [])
    assert no.eligible is False
    assert no.reasons == [
        "This round is not open to people in Wales. It is open to people in Oxford and Wessex."
    ]


def test_alumni_round_needs_one_of_its_own_courses(staff_admin):
    alumni = make_round(staff_admin, phase=Phase.ALUMNI, courses=[("A", "P"), ("B", "P")])
    other = make_round(staff_admin, name="Other", phase=Phase.ALUMNI, courses=[("C", "P")])
    mine = alumni.eligible_courses.get(name="B")
    theirs = other.eligible_courses.get()
    assert eligibility_check(rounds=[alumni], region="wessex", course_id=mine.pk)[0].eligible
    [wrong] = eligibility_check(rounds=[alumni], region="wessex", course_id=theirs.pk)
    assert wrong.reasons == [
        "This round is for people who have taken one of these courses: A (P) and B (P)."
    ]


def test_nomination_code_is_found_in_any_case_and_is_used_once(staff_admin):
    round_ = make_round(staff_admin, phase=Phase.FOUNDING)
    code = NominationCode.objects.create(round=round_, code="QF-7K2D", nominating_organisation="X")
    found = nomination_code_find(code=" qf-7k2d ", rounds=[round_])
    assert (found, found.used) == (code, False)
    assert nomination_code_find(code="", rounds=[round_]) is None
    nominee = UserFactory()
    draft = application_create(actor=nominee, round_=round_)
    application_save_draft(actor=nominee, application=draft, facts={"nomination_code": "QF-7K2D"})
    assert nomination_code_find(code="QF-7K2D", rounds=[round_]).used is True
    # The nominee checking again is not told their own code is used.
    assert nomination_code_find(code="QF-7K2D", rounds=[round_], user=nominee).used is False
    [result] = eligibility_check(
        rounds=[round_],
        region="wessex",
        code=nomination_code_find(code="QF-7K2D", rounds=[round_]),
        code_typed="QF-7K2D",
    )
    assert result.reasons == [
        "That nomination code has already been used. Ask the organisation that nominated you."
    ]


def test_rounds_opening_soon_are_published_and_not_yet_open(staff_admin):
    soon = make_round(staff_admin, name="Soon")
    Round.objects.filter(pk=soon.pk).update(opens_at=timezone.now() + dt.timedelta(days=2))
    make_round(staff_admin, name="Open now")
    make_round(staff_admin, name="Draft", open_now=False)
    assert [r.name for r in rounds_opening_soon()] == ["Soon"]


def test_round_get_published_hides_drafts(staff_admin):
    draft = make_round(staff_admin, open_now=False)
    with pytest.raises(Round.DoesNotExist):
        round_get_published(draft.pk)
    published = make_round(staff_admin, name="Published")
    assert round_get_published(published.pk) == published
