"""Every page of the members app, mounted once from `qcommunity.urls`, under the site's one rule
for URL names: an app's pages for members and visitors in a namespace named after the app
("members"), its staff pages in "<app>-staff" ("members-staff"). Each feature's list keeps the
addresses people use."""

from django.urls import include, path

from .coffee import urls as coffee
from .directory import urls as directory
from .joining import urls as joining
from .panels import urls as panels

public = [
    path("directory/", include(directory.search_urlpatterns)),
    path("directory/", include(directory.profile_urlpatterns)),
    path("me/", include(directory.me_urlpatterns)),
    path("me/coffee/", include(coffee.urlpatterns)),
    path("panels/", include(panels.urlpatterns)),
    path("join/", include(joining.urlpatterns)),
]
staff = [
    path("directory/", include(directory.staff_urlpatterns + coffee.staff_urlpatterns)),
    # Before the rounds pages, whose "<pk>/<action>/" would otherwise take "<pk>/panels/".
    path("rounds/<int:round>/panels/", include(panels.staff_urlpatterns)),
    path("rounds/", include(joining.staff_urlpatterns)),
]

urlpatterns = [
    path("", include((public, "members"))),
    path("staff/", include((staff, "members-staff"))),
]
