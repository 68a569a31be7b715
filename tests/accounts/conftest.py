import pytest

from tests.factories.accounts import PASSWORD


@pytest.fixture
def sign_in(client):
    """Sign in through the real form, so allauth records when the person authenticated (pages
    such as two-factor set-up ask for the password again without that). With `reauthenticate`
    the person has also just re-entered their password, as two-factor set-up requires."""

    def sign_in(user, password=PASSWORD, *, reauthenticate=True):
        response = client.post("/accounts/login/", {"login": user.email, "password": password})
        assert response.status_code == 302, response.content.decode()[:2000]
        if reauthenticate:
            response = client.post("/accounts/reauthenticate/", {"password": password})
            assert response.status_code == 302, response.content.decode()[:2000]
        return client

    return sign_in
