"""Issues' pages, mounted by the app's `urls.py`: editors compose issues and reusable blocks at
/staff/newsletters/issues/ (namespace "newsletter-issues"); the public web archive of sent
issues is at /newsletter/archive/ ("newsletter-archive")."""

from django.urls import path

from . import views

editor_urlpatterns = [
    path("", views.IssueListView.as_view(), name="issue-list"),
    path("new/", views.IssueCreateView.as_view(), name="issue-create"),
    path("<int:pk>/", views.IssueDetailView.as_view(), name="issue-detail"),
    path("<int:pk>/edit/", views.IssueEditView.as_view(), name="issue-edit"),
    path("<int:pk>/preview/", views.IssuePreviewView.as_view(), name="issue-preview"),
    path(
        "<int:pk>/preview/email/", views.IssuePreviewEmailView.as_view(), name="issue-preview-email"
    ),
    path("<int:pk>/test-send/", views.IssueTestSendView.as_view(), name="issue-test-send"),
    path("<int:pk>/schedule/", views.IssueScheduleView.as_view(), name="issue-schedule"),
    path(
        "<int:pk>/do/<slug:action>/", views.IssueTransitionView.as_view(), name="issue-transition"
    ),
    path("<int:pk>/sections/add/", views.SectionFormView.as_view(), name="section-add"),
    path(
        "<int:pk>/sections/add-block/",
        views.SectionAddBlockView.as_view(),
        name="section-add-block",
    ),
    path(
        "<int:pk>/sections/add-showcase/",
        views.SectionAddShowcaseView.as_view(),
        name="section-add-showcase",
    ),
    path(
        "<int:pk>/sections/<int:section_pk>/edit/",
        views.SectionFormView.as_view(),
        name="section-edit",
    ),
    path(
        "<int:pk>/sections/<int:section_pk>/move/",
        views.SectionMoveView.as_view(),
        name="section-move",
    ),
    path(
        "<int:pk>/sections/<int:section_pk>/remove/",
        views.SectionRemoveView.as_view(),
        name="section-remove",
    ),
    path("blocks/", views.BlockListView.as_view(), name="block-list"),
    path("blocks/new/", views.BlockFormView.as_view(), name="block-create"),
    path("blocks/<int:pk>/edit/", views.BlockFormView.as_view(), name="block-edit"),
]

archive_urlpatterns = [
    path("", views.ArchiveListView.as_view(), name="issue-list"),
    path("<slug:newsletter>/", views.ArchiveListView.as_view(), name="newsletter-issues"),
    path("<slug:newsletter>/<slug:issue>/", views.ArchiveIssueView.as_view(), name="issue-detail"),
]
