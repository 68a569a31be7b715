from django.urls import path

from .views import proposals

app_name = "exchange"

urlpatterns = [
    path("proposals/<slug:slug>/", proposals.ProposalDetailView.as_view(), name="proposal-detail"),
]
