"""Reads for the staff people pages: the search (typo-tolerant on names, addresses and what
apps add, such as the organisation on a directory entry) and one account with everything staff
see about it. A fixed number of queries each."""

from allauth.mfa.models import Authenticator
from django.contrib.postgres.search import TrigramWordSimilarity
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Greatest, Lower
from django.utils import timezone

from qcommunity.accounts.models import User, UserRole
from qcommunity.accounts.roles import Holding, all_roles, get_role
from qcommunity.audit.models import AuditEntry
from qcommunity.audit.selectors import audit_entries_for_targets

from .facts import account_sections, search_conditions
from .models import Invitation, InvitationStatus

STATUS_ACTIVE = "active"
STATUS_SUSPENDED = "suspended"


def people_search(*, text: str = "", role: str = "", status: str = "") -> QuerySet[User]:
    """Accounts (not deleted ones) matching `text`, best match first, with the role key and
    status filters. Names match with typos (trigram word similarity, so "Ramaswami" finds
    "Ramaswamy"), addresses by any part."""
    people = User.objects.filter(deleted_at__isnull=True)
    if status == STATUS_ACTIVE:
        people = people.filter(is_active=True)
    elif status == STATUS_SUSPENDED:
        people = people.filter(is_active=False)
    if role:
        people = people.filter(pk__in=get_role(role).holder_ids())
    people = people.annotate(
        has_two_factor=Exists(Authenticator.objects.filter(user=OuterRef("pk")))
    ).prefetch_related(Prefetch("roles", queryset=UserRole.objects.order_by("role")))
    text = " ".join(text.split()).lower()
    if not text:
        return people.order_by(Lower("full_name"), "email")
    return (
        people.annotate(email_lower=Lower("email"))
        .filter(
            Q(full_name__trigram_word_similar=text)
            | Q(preferred_name__trigram_word_similar=text)
            | Q(email_lower__contains=text)
            | search_conditions(text)
        )
        .annotate(
            match=Greatest(
                TrigramWordSimilarity(text, "full_name"),
                TrigramWordSimilarity(text, "preferred_name"),
            )
        )
        .order_by("-match", Lower("full_name"), "email")
    )


def person_get(pk: int) -> User:
    """One account (deleted ones too: their tombstone page says so), with its roles."""
    return (
        User.objects.annotate(
            has_two_factor=Exists(Authenticator.objects.filter(user=OuterRef("pk")))
        )
        .prefetch_related(Prefetch("roles", queryset=UserRole.objects.select_related("granted_by")))
        .get(pk=pk)
    )


def person_holdings(user: User) -> list[Holding]:
    """Every role the person holds, kind by kind in the registry's order."""
    return [holding for kind in all_roles() for holding in kind.holdings(user)]


def person_sections(user: User):
    return account_sections(user)


def person_audit(user: User, *, limit: int = 10) -> list[AuditEntry]:
    """The latest audit rows about the account."""
    return list(audit_entries_for_targets([(User, [user.pk])])[:limit])


def invitation_list(*, state: str = "", now=None) -> QuerySet:
    """Invitations, newest first, by what a person sees of them (waiting, expired...)."""
    now = now or timezone.now()
    invitations = Invitation.objects.select_related("invited_by", "accepted_by")
    if state == "waiting":
        return invitations.filter(status=InvitationStatus.PENDING, expires_at__gt=now)
    if state == "expired":
        return invitations.filter(status=InvitationStatus.PENDING, expires_at__lte=now)
    if state in (InvitationStatus.ACCEPTED, InvitationStatus.REVOKED):
        return invitations.filter(status=state)
    return invitations


def role_holders() -> dict[str, set[int]]:
    """For each role kind, the ids of the accounts holding it (one query per kind, however many
    accounts): the roles column of the accounts download."""
    return {
        kind.key: set(kind.holder_ids().values_list("user_id", flat=True)) for kind in all_roles()
    }
