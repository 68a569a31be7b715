"""Every page of the members app, mounted once from `qcommunity.urls`: each feature's URL
lists at the addresses and with the namespaces they have always had."""

from django.urls import include, path

from .coffee import urls as coffee
from .directory import urls as directory
from .joining import urls as joining
from .panels import urls as panels

urlpatterns = [
    path("directory/", include((directory.search_urlpatterns, "directory"))),
    path("directory/", include((directory.profile_urlpatterns, "profiles"))),
    path("me/", include((directory.me_urlpatterns, "me"))),
    path("me/coffee/", include((coffee.urlpatterns, "coffee"))),
    path(
        "staff/directory/",
        include((directory.staff_urlpatterns + coffee.staff_urlpatterns, "directory-staff")),
    ),
    # Before the rounds pages, whose "<pk>/<action>/" would otherwise take "<pk>/panels/".
    path("staff/rounds/<int:round>/panels/", include((panels.staff_urlpatterns, "panels-staff"))),
    path("staff/rounds/", include((joining.staff_urlpatterns, "join-staff"))),
    path("panels/", include((panels.urlpatterns, "panels"))),
    path("join/", include((joining.urlpatterns, "joining"))),
]
