"""The joining panels' pages: the shared workspace's routes (`qcommunity.scoring.urls`) for
`APPLICATION_PANELS`, and joining's own (the chair's decision, a round's panels, starting
review). `members.urls` mounts each list at its address with its namespace."""

from django.urls import path

from qcommunity.scoring import urls as workspace

from . import views
from .kind import APPLICATION_PANELS

# /panels/ (namespace "panels")
urlpatterns = [
    *workspace.reviewer_urlpatterns(APPLICATION_PANELS),
    path(
        "<int:panel>/applications/<int:pk>/",
        views.ChairApplicationView.as_view(),
        name="chair-application",
    ),
]

# /staff/rounds/<round>/panels/ (namespace "panels-staff")
staff_urlpatterns = [
    path("start-review/", views.RoundStartReviewView.as_view(), name="start-review"),
    *workspace.staff_urlpatterns(APPLICATION_PANELS),
]
