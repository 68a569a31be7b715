"""axe-core finds nothing on every page type of the foundation, signed out and signed in."""

import pytest

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)

PUBLIC_PAGES = ["/", "/accessibility/", "/privacy/", "/cookies/", "/contact/"]


@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_public_page_has_no_axe_violations(page, path):
    response = page.goto(path)
    assert response.status == 200
    assert page.locator("h1").count() == 1
    assert_accessible(page)
    assert page.console_errors == []


def test_not_found_page_has_no_axe_violations(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.locator("h1").inner_text() == "Page not found"
    assert_accessible(page)


@pytest.mark.parametrize("status", [400, 403, 429, 500])
def test_error_page_has_no_axe_violations(page, live_server, rf, status):
    from qcommunity.core import views as core_views

    handler = {
        400: core_views.bad_request,
        403: core_views.permission_denied,
        429: core_views.too_many_requests,
        500: core_views.server_error,
    }[status]
    request = rf.get("/")
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.contrib.sessions.backends.db import SessionStore

    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    response = handler(request)
    assert response.status_code == status
    # Load the page shell from the live server, then put the error page in it, so its styles
    # and scripts load from the same origin as in real use.
    page.goto("/")
    page.set_content(response.content.decode(), wait_until="load")
    assert page.locator("h1").count() == 1
    assert_accessible(page)
