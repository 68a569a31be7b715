from django.urls import path

from . import urls_browse
from .views import proposals

app_name = "exchange"

urlpatterns = [
    path("proposals/<slug:slug>/", proposals.ProposalDetailView.as_view(), name="proposal-detail"),
]
urlpatterns += urls_browse.urlpatterns
