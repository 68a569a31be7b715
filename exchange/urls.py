"""Q Exchange's addresses: each feature's public pages under /exchange/ (namespace "exchange")
and its staff pages under /staff/exchange/ (namespace "exchange-staff")."""

from django.urls import include, path

from .browse import urls as browse
from .comments import urls as comments
from .decisions import urls as decisions
from .proposals import urls as proposals
from .rounds import urls as rounds
from .shortlist import urls as shortlist
from .voting import urls as voting

public = [
    *browse.urlpatterns,
    *proposals.urlpatterns,
    *comments.urlpatterns,
    *voting.urlpatterns,
    *decisions.urlpatterns,
    *shortlist.urlpatterns,
]
staff = [*browse.staff_urlpatterns, *rounds.staff_urlpatterns, *shortlist.staff_urlpatterns]

urlpatterns = [
    path("exchange/", include((public, "exchange"))),
    path("staff/exchange/", include((staff, "exchange-staff"))),
]
