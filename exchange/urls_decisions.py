from django.urls import path

from .views import decisions

urlpatterns = [
    path(
        "proposals/<slug:slug>/decide/",
        decisions.ProposalDecideView.as_view(),
        name="proposal-decide",
    ),
    path(
        "proposals/<slug:slug>/updates/new/",
        decisions.ProgressUpdateCreateView.as_view(),
        name="update-create",
    ),
]
