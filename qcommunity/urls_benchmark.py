"""The project's URLs plus a bare view, for `make bench` only (settings.benchmark uses this).

The bare view does no more than Django must: it is the yardstick each page's throughput is
compared with. It lives here, not in qcommunity.urls, so no real deployment ever serves it."""

from django.http import HttpResponse
from django.urls import path

from qcommunity import urls as project_urls

handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler429 = project_urls.handler429
handler500 = project_urls.handler500


def bare(request):
    return HttpResponse("ok", content_type="text/plain")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *project_urls.urlpatterns]
