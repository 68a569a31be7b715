"""Shortlisting's pages: the shared workspace's routes (`qcommunity.scoring.urls`) for
`PROPOSAL_PANELS`, and shortlisting's own (criteria, a round's panels)."""

from django.urls import include, path

from qcommunity.scoring import urls as workspace

from . import views
from .kind import PROPOSAL_PANELS

# Reviewers, chairs and moderators (/exchange/panels/...).
urlpatterns = [path("panels/", include(workspace.reviewer_urlpatterns(PROPOSAL_PANELS)))]

# Staff: criteria, panels, members, sharing proposals out (/staff/exchange/).
staff_urlpatterns = [
    path("rounds/<int:pk>/criteria/", views.RoundCriteriaView.as_view(), name="round-criteria"),
    path("rounds/<int:pk>/panels/", include(workspace.staff_urlpatterns(PROPOSAL_PANELS))),
]
