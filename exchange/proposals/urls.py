"""The writing side of proposals (issue 6 point 2), under the `exchange:` namespace."""

from django.urls import path

from .views import edit

P = "proposals/<slug:slug>/"

urlpatterns = [
    path("<int:year>/new/", edit.IdeaCreateView.as_view(), name="idea-new"),
    path(f"{P}edit/", edit.ProposalEditView.as_view(), name="proposal-edit"),
    path(f"{P}team/", edit.TeamView.as_view(), name="proposal-team"),
    path(f"{P}team/accept/", edit.TeamAcceptView.as_view(), name="team-accept"),
    path(f"{P}team/lead/", edit.LeadHandoverView.as_view(), name="lead-handover"),
    path(f"{P}plan/", edit.PlanView.as_view(), name="proposal-plan"),
    path(f"{P}plan.ics", edit.PlanCalendarView.as_view(), name="proposal-plan-ics"),
    path(f"{P}attachments/", edit.AttachmentsView.as_view(), name="proposal-attachments"),
    path(
        f"{P}attachments/<str:token>/",
        edit.AttachmentDownloadView.as_view(),
        name="attachment-download",
    ),
    path(f"{P}develop/", edit.DevelopView.as_view(), name="proposal-develop"),
    path(f"{P}withdraw/", edit.WithdrawView.as_view(), name="proposal-withdraw"),
    path(f"{P}print/", edit.ProposalPrintView.as_view(), name="proposal-print"),
]
