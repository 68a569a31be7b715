from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from qcommunity.accounts import views as accounts_views
from qcommunity.core import views as core_views

urlpatterns = [
    path("", include("qcommunity.core.urls")),
    path("accounts/", include("qcommunity.accounts.urls")),
    path("accounts/", include("allauth.urls")),
    path("directory/", include("members.urls_directory")),
    path("staff/audit/", include("qcommunity.audit.urls")),
    path("staff/outbox/", include("qcommunity.outbox.urls")),
    path("staff/reminders/", include("qcommunity.reminders.urls")),
    path("staff/newsletters/sending/", include("qcommunity.newsletters.urls_sending")),
    path("directory/", include("members.urls_profile")),
    path("me/notifications/", include("qcommunity.notifications.urls")),
    path("me/", include("qcommunity.privacy.urls")),
    path("me/", include("members.urls_me")),
    path("staff/directory/", include("members.urls_staff")),
    # Before the rounds pages, whose "<pk>/<action>/" would otherwise take "<pk>/panels/".
    path("staff/rounds/<int:round>/panels/", include("members.urls_panels_staff")),
    path("staff/rounds/", include("members.urls_rounds_staff")),
    path("me/coffee/", include("members.urls_coffee")),
    path("panels/", include("members.urls_panels")),
    path("staff/newsletters/issues/", include("qcommunity.newsletters.urls_editor")),
    path("newsletter/archive/", include("qcommunity.newsletters.urls_issues")),
    path("me/showcase/", include("qcommunity.newsletters.urls_showcase")),
    path("newsletter/", include("qcommunity.newsletters.urls")),
    path("staff/newsletters/", include("qcommunity.newsletters.urls_staff")),
    # The mail provider's webhooks exist only with a secret to check (qcommunity.newsletters).
    *(
        [path("anymail/", include("qcommunity.newsletters.urls_anymail"))]
        if settings.ANYMAIL.get("WEBHOOK_SECRET")
        else []
    ),
    path("join/", include("members.urls_apply")),
    path("", include("exchange.urls")),
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
