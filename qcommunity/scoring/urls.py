"""The workspace's routes for one kind of panel, for a consumer's `urls.py` to include where its
pages live. The names are the last part of the kind's `url_names` (the consumer's namespace
holds them), so the kind and its routes cannot disagree."""

from django.urls import path

from . import views


def _name(kind, page: str) -> str:
    return kind.url_names[page].rpartition(":")[2]


def reviewer_urlpatterns(kind) -> list:
    """A reviewer's panels, one panel, the chair's page (at `kind.chair_path`) and the steps of
    a review (the check step only for kinds that have it)."""
    patterns = [
        path("", views.PanelListView.as_view(kind=kind), name=_name(kind, "panel-list")),
        path("<int:pk>/", views.PanelDetailView.as_view(kind=kind), name=_name(kind, "panel")),
        path(
            f"<int:pk>/{kind.chair_path}/",
            views.ChairView.as_view(kind=kind),
            name=_name(kind, "chair"),
        ),
        path(
            "assignments/<int:pk>/",
            views.AssignmentDetailView.as_view(kind=kind),
            name=_name(kind, "assignment"),
        ),
        path(
            "assignments/<int:pk>/review/",
            views.AssignmentReviewView.as_view(kind=kind),
            name=_name(kind, "review"),
        ),
    ]
    if kind.check_step:
        patterns.append(
            path(
                "assignments/<int:pk>/check/",
                views.AssignmentCheckView.as_view(kind=kind),
                name=_name(kind, "check"),
            )
        )
    return patterns


def staff_urlpatterns(kind) -> list:
    """Below a round's panels address (which holds the owner's id as `kind.owner_kwarg`): the
    round's panels, one panel for staff, sharing out, and reassigning one review."""
    return [
        path("", views.StaffPanelListView.as_view(kind=kind), name=_name(kind, "staff-panels")),
        path(
            "<int:panel>/",
            views.StaffPanelDetailView.as_view(kind=kind),
            name=_name(kind, "staff-panel"),
        ),
        path(
            "<int:panel>/distribute/",
            views.PanelDistributeView.as_view(kind=kind),
            name=_name(kind, "distribute"),
        ),
        path(
            "<int:panel>/assignments/<int:assignment>/reassign/",
            views.AssignmentReassignView.as_view(kind=kind),
            name=_name(kind, "reassign"),
        ),
    ]
