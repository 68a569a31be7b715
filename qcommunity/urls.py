from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from qcommunity.accounts import views as accounts_views
from qcommunity.core import urls as core_urls
from qcommunity.core import views as core_views
from qcommunity.people import urls as people_urls

urlpatterns = [
    path("", include((core_urls.urlpatterns, "core"))),
    path("staff/", include((core_urls.staff_urlpatterns, "core-staff"))),
    path("accounts/", include("qcommunity.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("", include("members.urls")),
    path("staff/audit/", include("qcommunity.audit.urls")),
    path("staff/outbox/", include("qcommunity.outbox.urls")),
    path("staff/reminders/", include("qcommunity.reminders.urls")),
    path("staff/people/", include((people_urls.staff_urlpatterns, "people-staff"))),
    path("", include((people_urls.urlpatterns, "people"))),
    path("staff/imports/", include("qcommunity.imports.urls")),
    path("me/notifications/", include("qcommunity.notifications.urls")),
    path("me/", include("qcommunity.privacy.urls")),
    path("", include("qcommunity.newsletters.urls")),
    path("", include("exchange.urls")),
    path("", include("accreditation.urls")),
    # The admin's own sign-in form is replaced: every sign-in goes through allauth (two-factor,
    # lockout). Production may mount the admin somewhere less guessable (ADMIN_URL).
    path(f"{settings.ADMIN_URL}login/", accounts_views.admin_login, name="admin-login"),
    path(settings.ADMIN_URL, admin.site.urls),
]

handler400 = core_views.bad_request
handler403 = core_views.permission_denied
handler404 = core_views.page_not_found
handler500 = core_views.server_error
handler429 = core_views.too_many_requests
