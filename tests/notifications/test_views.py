import pytest

from qcommunity.notifications.enums import Delivery
from qcommunity.notifications.models import NotificationPreference
from qcommunity.notifications.selectors import notification_preferences_for
from tests.factories.accounts import UserFactory
from tests.querycount import assert_constant_queries

pytestmark = pytest.mark.django_db

URL = "/me/notifications/"

EVERY_CHOICE = {
    "panel_assignment": "immediately",
    "proposal_comment": "daily",
    "comment_reply": "off",
    "proposal_progress_update": "daily",
    "exchange_voting_reminder": "off",
    "exchange_review_assignment": "daily",
    "showcase_decision": "immediately",
}


def test_page_shows_radios_for_each_optional_kind_with_the_current_choice(client_for, user):
    response = client_for(user).get(URL)
    html = response.content.decode()

    assert response.status_code == 200
    assert "<h1>Email notifications</h1>" in html
    assert html.count('type="radio"') == 3 * 7
    assert 'name="exchange_review_assignment" type="radio" value="immediately" checked' in html
    assert "Proposals given to you to review" in html
    assert 'name="exchange_voting_reminder" type="radio" value="immediately" checked' in html
    assert "Reminders to vote" in html
    assert "in its own email even if you choose the daily summary" in html
    assert 'name="comment_reply" type="radio" value="immediately" checked' in html
    for heading in ("Your account", "Membership and panels", "Q Exchange", "Newsletter showcase"):
        assert f"<h2>{heading}</h2>" in html
    # Only kinds some part of the site sends are offered (no labs or accreditation yet).
    assert "labs" not in html.lower()
    assert "accreditation" not in html.lower()


def test_required_kinds_are_shown_as_always_sent_not_as_inputs(client_for, member):
    html = client_for(member).get(URL).content.decode()

    assert html.count("<strong>Always sent</strong>") == 3  # security and two kinds of decision
    assert "Account security" in html
    assert 'name="account_security"' not in html
    # The page says decisions about you are always sent: no "Do not email me" for them.
    assert "Shortlisting and funding decisions" in html
    assert 'name="proposal_decision"' not in html
    decisions = html.split("Shortlisting and funding decisions")[1].split("</div>")[0]
    assert "<strong>Always sent</strong>" in decisions
    assert "Do not email me" not in decisions
    assert 'name="application_decision"' not in html
    assert "disabled" not in html


def test_saving_stores_every_choice_and_confirms(client_for, member):
    client = client_for(member)

    response = client.post(URL, EVERY_CHOICE, follow=True)

    assert response.redirect_chain == [(URL, 302)]
    assert "Your email choices have been saved" in response.content.decode()
    choices = notification_preferences_for(member)
    assert {key: str(choices[key]) for key in EVERY_CHOICE} == EVERY_CHOICE
    assert 'name="comment_reply" type="radio" value="off" checked' in response.content.decode()


def test_a_posted_required_kind_is_ignored(client_for, user):
    client_for(user).post(URL, {**EVERY_CHOICE, "account_security": "off"})

    assert notification_preferences_for(user)["account_security"] == Delivery.IMMEDIATELY
    assert not NotificationPreference.objects.filter(kind="account_security").exists()


def test_a_missing_or_invalid_choice_shows_an_error_and_saves_nothing(client_for, user):
    response = client_for(user).post(URL, {**EVERY_CHOICE, "proposal_comment": "hourly"})
    del_choice = {key: value for key, value in EVERY_CHOICE.items() if key != "comment_reply"}
    missing = client_for(user).post(URL, del_choice)

    assert response.status_code == 200
    assert "There is a problem" in response.content.decode()
    assert "Choose how you want to hear about: Replies to your comments" in (
        missing.content.decode()
    )
    assert NotificationPreference.objects.count() == 0


def test_visitors_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.headers["Location"].startswith("/accounts/login/")


def test_page_runs_the_same_queries_with_no_choices_and_many_stored(client_for, user):
    client = client_for(user)

    def get():
        assert client.get(URL).status_code == 200

    def add_rows(n):
        client.post(URL, EVERY_CHOICE)
        for other in UserFactory.create_batch(n):
            NotificationPreference.objects.create(user=other, kind="comment_reply", delivery="off")

    get()
    assert_constant_queries(get, add_rows, many=5)
