"""Rate limits that allauth answers with a whole page use our 429 page in the site layout."""

import pytest

pytestmark = pytest.mark.django_db


def test_too_many_password_reset_requests_get_the_layout_429_page(client):
    statuses = [
        client.post("/accounts/password/reset/", {"email": f"someone{i}@example.org"}).status_code
        for i in range(6)
    ]
    assert statuses[:5] == [302] * 5
    assert statuses[5] == 429
    response = client.post("/accounts/password/reset/", {"email": "late@example.org"})
    body = response.content.decode()
    assert response.status_code == 429
    assert "<h1>Too many attempts</h1>" in body
    assert "nhsuk-header" in body
