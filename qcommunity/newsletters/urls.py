"""Every newsletters page, at the addresses people use, under the site's one rule for URL
names: pages for members and visitors in "newsletters", staff and editors' pages in
"newsletters-staff"."""

from django.conf import settings
from django.urls import include, path

from .imports import urls as imports_urls
from .issues import urls as issues_urls
from .sending import urls as sending_urls
from .showcase import urls as showcase_urls
from .subscriptions import urls as subscriptions_urls

staff_urlpatterns = [
    *subscriptions_urls.staff_urlpatterns,
    path("import/", include(imports_urls.urlpatterns)),
]
editor_urlpatterns = [
    *issues_urls.editor_urlpatterns,
    path("showcase/", include(showcase_urls.review_urlpatterns)),
]
archive_urlpatterns = [
    *issues_urls.archive_urlpatterns,
    path("showcase/", include(showcase_urls.image_urlpatterns)),
]

public = [
    path("newsletter/", include(subscriptions_urls.public_urlpatterns)),
    path("newsletter/archive/", include(archive_urlpatterns)),
    path("me/showcase/", include(showcase_urls.member_urlpatterns)),
]
staff = [
    path("", include(staff_urlpatterns)),
    path("issues/", include(editor_urlpatterns)),
    path("sending/", include(sending_urls.urlpatterns)),
]

urlpatterns = [
    path("", include((public, "newsletters"))),
    path("staff/newsletters/", include((staff, "newsletters-staff"))),
    # The mail provider's webhooks exist only with a secret to check (`sending/urls.py`).
    *(
        [path("anymail/", include((sending_urls.anymail_urlpatterns, "anymail")))]
        if settings.ANYMAIL.get("WEBHOOK_SECRET")
        else []
    ),
]
