from django.urls import path

from members.views import directory

app_name = "directory"

urlpatterns = [
    path("", directory.DirectorySearchView.as_view(), name="search"),
]
