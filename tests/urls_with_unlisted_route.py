"""The project's routes plus one nobody listed, for the permission matrix's own test."""

from django.http import HttpResponse
from django.urls import path

from qcommunity.urls import urlpatterns as project_urlpatterns

urlpatterns = [
    *project_urlpatterns,
    path("unlisted/", lambda request: HttpResponse("x"), name="unlisted-route"),
]
