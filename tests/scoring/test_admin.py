import pytest

from qcommunity.scoring.models import Criterion
from qcommunity.scoring.services import scheme_lock

pytestmark = pytest.mark.django_db


def _url(scheme, view="change"):
    return f"/admin/scoring/scheme/{scheme.pk}/{view}/"


def test_an_unlocked_scheme_can_be_changed_in_the_admin(client_for, superuser, scheme):
    page = client_for(superuser).get(_url(scheme)).content.decode()

    assert 'name="_save"' in page
    assert 'name="criteria-0-title"' in page


def test_a_locked_scheme_is_shown_read_only_in_the_admin(
    client_for, superuser, staff_admin, scheme
):
    scheme_lock(actor=staff_admin, scheme=scheme)
    client = client_for(superuser)
    title = scheme.criteria.order_by("position").first().title

    response = client.get(_url(scheme))
    page = response.content.decode()
    posted = client.post(_url(scheme), {"name": "Changed", "criteria-0-title": "Changed"})

    assert response.status_code == 200
    assert title in page
    assert 'name="_save"' not in page
    assert 'name="criteria-0-title"' not in page
    assert posted.status_code == 403
    assert client.get(_url(scheme, "delete")).status_code == 403
    scheme.refresh_from_db()
    assert scheme.name == "Test criteria"
    assert Criterion.objects.filter(scheme=scheme, title=title).exists()
