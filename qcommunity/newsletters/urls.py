"""Every newsletters page, at the addresses people use, each feature's routes under the
namespace they have always had (a namespace may gather routes of two features: the showcase
queue sits with the issues, a showcase image with the archive)."""

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

urlpatterns = [
    path("newsletter/", include((subscriptions_urls.public_urlpatterns, "newsletters"))),
    path("newsletter/archive/", include((archive_urlpatterns, "newsletter-archive"))),
    path("me/showcase/", include((showcase_urls.member_urlpatterns, "showcase"))),
    path("staff/newsletters/", include((staff_urlpatterns, "newsletters-staff"))),
    path("staff/newsletters/issues/", include((editor_urlpatterns, "newsletter-issues"))),
    path("staff/newsletters/sending/", include((sending_urls.urlpatterns, "newsletter-sending"))),
    # The mail provider's webhooks exist only with a secret to check (`sending/urls.py`).
    *(
        [path("anymail/", include((sending_urls.anymail_urlpatterns, "anymail")))]
        if settings.ANYMAIL.get("WEBHOOK_SECRET")
        else []
    ),
]
