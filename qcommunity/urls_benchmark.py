"""The project's URLs plus a bare view, for `make bench` only (settings.benchmark uses this).

The bare view does no more than Django must: it is the yardstick each page's throughput is
compared with. It lives here, not in qcommunity.urls, so no real deployment ever serves it."""

from django.http import HttpResponse
from django.urls import path

from qcommunity.urls import (  # noqa: F401 (error handlers come with the URLconf)
    handler400,
    handler403,
    handler404,
    handler429,
    handler500,
    urlpatterns as project_urlpatterns,
)


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *project_urlpatterns]
