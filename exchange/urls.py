from django.urls import path

from . import urls_browse, urls_comments, urls_decisions, urls_edit, urls_shortlist, urls_voting
from .views import proposals

app_name = "exchange"

urlpatterns = [
    path("proposals/<slug:slug>/", proposals.ProposalDetailView.as_view(), name="proposal-detail"),
]
urlpatterns += urls_decisions.urlpatterns
urlpatterns += urls_comments.urlpatterns

urlpatterns += urls_voting.urlpatterns
urlpatterns += urls_edit.urlpatterns
urlpatterns += urls_browse.urlpatterns
urlpatterns += urls_shortlist.urlpatterns
