"""Coordinators' pages for the standards, under /accreditation/standards/ (namespace
"accreditation-staff")."""

from django.urls import path

from . import views

VERSION = "standards/<slug:slug>/versions/<int:number>/"

urlpatterns: list = []

staff_urlpatterns = [
    path("standards/", views.StandardListView.as_view(), name="standard-list"),
    path("standards/new/", views.StandardCreateView.as_view(), name="standard-create"),
    path("standards/<slug:slug>/", views.StandardDetailView.as_view(), name="standard-detail"),
    path(
        "standards/<slug:slug>/versions/new/",
        views.VersionDraftView.as_view(),
        name="version-draft",
    ),
    path(VERSION, views.VersionDetailView.as_view(), name="version-detail"),
    path(f"{VERSION}preview/", views.VersionPreviewView.as_view(), name="version-preview"),
    path(f"{VERSION}publish/", views.VersionPublishView.as_view(), name="version-publish"),
    path(f"{VERSION}discard/", views.VersionDiscardView.as_view(), name="version-discard"),
    path(f"{VERSION}export.csv", views.VersionExportCsvView.as_view(), name="version-export-csv"),
    path(
        f"{VERSION}export.json", views.VersionExportJsonView.as_view(), name="version-export-json"
    ),
    path(f"{VERSION}move/", views.PartMoveView.as_view(), name="part-move"),
]
for _part, _plural in (("domain", "domains"), ("criterion", "criteria"), ("level", "levels")):
    staff_urlpatterns += [
        path(
            f"{VERSION}{_plural}/new/",
            views.PartFormView.as_view(part=_part),
            name=f"{_part}-add",
        ),
        path(
            f"{VERSION}{_plural}/<int:pk>/",
            views.PartFormView.as_view(part=_part),
            name=f"{_part}-edit",
        ),
        path(
            f"{VERSION}{_plural}/<int:pk>/remove/",
            views.PartRemoveView.as_view(part=_part),
            name=f"{_part}-remove",
        ),
    ]
