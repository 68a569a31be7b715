"""The Quality Mark's addresses: each feature's pages for providers and assessors under
/accreditation/ (namespace "accreditation") and its coordinators' pages, also under
/accreditation/ (namespace "accreditation-staff")."""

from django.urls import include, path

from .providers import urls as providers
from .standards import urls as standards

public = [*providers.urlpatterns, *standards.urlpatterns]
staff = [*providers.staff_urlpatterns, *standards.staff_urlpatterns]

urlpatterns = [
    path("accreditation/", include((public, "accreditation"))),
    path("accreditation/", include((staff, "accreditation-staff"))),
]
