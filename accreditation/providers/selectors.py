"""Reads for provider organisations: the ones a person works for, one organisation for its
pages (404 when it does not exist), its staff and waiting invitations, and the coordinators'
list."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone

from qcommunity.people.models import Invitation, InvitationStatus

from .enums import StaffRole
from .models import Organisation, Programme, ProviderStaff


def organisation_get(slug: str) -> Organisation:
    organisation = Organisation.objects.select_related("verified_by").filter(slug=slug).first()
    if organisation is None:
        raise Http404
    return organisation


def memberships_for(user) -> list[ProviderStaff]:
    """The organisations `user` works for, by name (one query)."""
    if not user.is_authenticated:
        return []
    return list(
        ProviderStaff.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name", "organisation_id")
    )


def programmes_of(organisation: Organisation) -> list[Programme]:
    return list(organisation.programmes.order_by("name", "pk"))


def staff_of(organisation: Organisation) -> list[ProviderStaff]:
    """Admins first, then contributors, each by name."""
    return sorted(
        ProviderStaff.objects.filter(organisation=organisation).select_related("user", "added_by"),
        key=lambda row: (row.role != StaffRole.ADMIN, row.user.display_name.lower()),
    )


def _invitations(organisation: Organisation):
    return Invitation.objects.filter(
        role="provider_staff", scope__startswith=f"organisation:{organisation.pk}:"
    )


def invitations_waiting(organisation: Organisation) -> list[Invitation]:
    return list(
        _invitations(organisation)
        .filter(status=InvitationStatus.PENDING, expires_at__gt=timezone.now())
        .select_related("invited_by")
        .order_by("-sent_at")
    )


def invitation_waiting_get(organisation: Organisation, pk: int) -> Invitation:
    """An invitation to `organisation` (404 for another organisation's or another role's)."""
    invitation = _invitations(organisation).filter(pk=pk).first()
    if invitation is None:
        raise Http404
    return invitation


def _count(model, **filters):
    return Coalesce(
        Subquery(
            model.objects.filter(organisation=OuterRef("pk"), **filters)
            .order_by()
            .values("organisation")
            .annotate(n=Count("pk"))
            .values("n")
        ),
        0,
    )


def organisations_for_coordinators(status: str = "") -> QuerySet[Organisation]:
    """Every organisation with its numbers of programmes and admins, waiting ones first
    (oldest first), then by name."""
    organisations = Organisation.objects.annotate(
        programme_count=_count(Programme),
        staff_count=_count(ProviderStaff),
    )
    if status == "unverified":
        organisations = organisations.filter(verified_at__isnull=True)
    elif status == "verified":
        organisations = organisations.filter(verified_at__isnull=False)
    return organisations.order_by("name", "pk")


def unverified_count() -> int:
    return Organisation.objects.filter(verified_at__isnull=True).count()
