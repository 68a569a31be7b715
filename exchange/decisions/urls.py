from django.urls import path

from . import views

urlpatterns = [
    path(
        "proposals/<slug:slug>/decide/",
        views.ProposalDecideView.as_view(),
        name="proposal-decide",
    ),
    path(
        "proposals/<slug:slug>/updates/new/",
        views.ProgressUpdateCreateView.as_view(),
        name="update-create",
    ),
]
