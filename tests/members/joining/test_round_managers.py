"""A round manager runs the rounds they were given on their account page, and no other: the
round's page, changes, report, download and audit trail; not the list of every round, not
creating rounds, not the panels. Taking the role away closes those pages again."""

import pytest
from django.urls import reverse

from members.joining.models import RoundManager
from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import User
from qcommunity.accounts.roles import get_role
from qcommunity.people import services as people
from tests.factories.accounts import PASSWORD
from tests.factories.joining import make_round
from tests.factories.panels import staff_user, two_factor_user

pytestmark = pytest.mark.django_db


def round_pages(round_) -> list[str]:
    return [
        reverse("members-staff:round-detail", args=[round_.pk]),
        reverse("members-staff:round-edit", args=[round_.pk]),
        reverse("members-staff:round-report", args=[round_.pk]),
        reverse("members-staff:round-applications-csv", args=[round_.pk]),
        reverse("members-staff:round-audit", args=[round_.pk]),
    ]


def test_a_round_manager_runs_their_round_and_only_theirs(client):
    admin = staff_user()
    theirs = make_round(admin, name="Regional wave 3")
    other = make_round(admin, name="Regional wave 4")
    manager = two_factor_user(full_name="Rhian Manager")

    client.force_login(admin)
    client.post("/accounts/reauthenticate/", {"password": PASSWORD})
    grant = reverse("people-staff:role-grant", args=[manager.pk])
    page = client.get(grant + "?role=round_manager").content.decode()
    assert f"round:{theirs.pk}" in page
    response = client.post(
        grant,
        {"role": "round_manager", "scope": f"round:{theirs.pk}", "reason": "Runs wave 3"},
    )
    assert response.status_code == 302
    assert RoundManager.objects.filter(user=manager, round=theirs).exists()
    assert User.objects.get(pk=manager.pk).needs_two_factor

    client.force_login(manager)
    home = client.get("/").content.decode()
    assert "Your rounds" in home
    assert "You manage Regional wave 3 (open)." in home
    listing = client.get(reverse("members-staff:round-list")).content.decode()
    assert "Regional wave 3" in listing
    assert "Regional wave 4" not in listing
    assert "Set up a new round" not in listing
    for path in round_pages(theirs):
        assert client.get(path).status_code == 200, path
    for path in round_pages(other):
        assert client.get(path).status_code == 404, path
    assert client.get(reverse("members-staff:round-create")).status_code == 404
    assert client.get(reverse("members-staff:panel-list", args=[theirs.pk])).status_code == 404
    detail = client.get(round_pages(theirs)[0]).content.decode()
    assert reverse("members-staff:panel-list", args=[theirs.pk]) not in detail

    # They can change their round (a date), and the change is theirs in the audit trail.
    from members.joining import services
    from members.joining.services import JoiningError

    def later_close(round_):
        return {
            "round_": round_,
            "name": round_.name,
            "phase": round_.phase,
            "regions": round_.regions,
            "opens_at": round_.opens_at,
            "closes_at": round_.closes_at.replace(minute=30),
            "review_deadline": round_.review_deadline,
            "decisions_release_at": round_.decisions_release_at,
            "reviews_needed": round_.reviews_needed,
        }

    services.round_update(actor=manager, **later_close(theirs))
    theirs.refresh_from_db()
    assert theirs.closes_at.minute == 30
    with pytest.raises(JoiningError):
        services.round_update(actor=manager, **later_close(other))
    with pytest.raises(JoiningError):
        make_round(manager, name="Their own round")

    # Taking the role away closes the pages again.
    people.person_role_revoke(
        actor=admin,
        user=manager,
        kind=get_role("round_manager"),
        scope=f"round:{theirs.pk}",
        reason="Wave 3 is done",
    )
    assert not User.objects.get(pk=manager.pk).has_role(Role.ROUND_MANAGER)
    for path in round_pages(theirs):
        assert client.get(path).status_code == 404, path
    assert client.get(reverse("members-staff:round-list")).status_code == 404


def test_deleting_the_account_ends_round_management():
    from qcommunity.privacy.services import account_delete

    admin = staff_user()
    round_ = make_round(admin)
    manager = two_factor_user()
    people.person_role_grant(
        actor=admin,
        user=manager,
        kind=get_role("round_manager"),
        scope=f"round:{round_.pk}",
        reason="Runs it",
    )
    account_delete(user=manager)
    assert not RoundManager.objects.filter(user=manager).exists()
