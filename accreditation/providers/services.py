"""Writes for provider organisations: registering one (the person becomes its admin; it waits
for a coordinator to verify it), changing its details, its programmes, its staff, and
verifying it. Every write is audited and refused with a `ProviderError`.

Staff are given and taken away through the role registry (`accreditation.roles`) and so
through `qcommunity.people.services` (reason, audit, email to the person); the writes of the
organisation's own rows are here. An organisation always keeps at least one admin."""

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import UserRole
from qcommunity.accounts.services import role_grant, role_revoke
from qcommunity.audit.services import audit_record
from qcommunity.core.errors import ServiceError, require_perm
from qcommunity.core.taxonomy import Region
from qcommunity.outbox.services import email_queue_template

from . import rules  # noqa: F401 (registers the permissions the services check)
from .enums import OrganisationKind, ProgrammeFormat, StaffRole
from .models import Organisation, Programme, ProviderStaff

# Words the organisation pages use after /accreditation/providers/, never an organisation's slug.
RESERVED_SLUGS = frozenset({"register", "new"})
NAME_MAX = 200


class ProviderError(ServiceError):
    """A write to a provider organisation that cannot be made (see `ServiceError`)."""


def _require(actor, perm: str, obj=None) -> None:
    require_perm(actor, perm, obj, error=ProviderError)


def _check_details(*, name: str, kind: str, regions, website: str) -> dict:
    name = " ".join(name.split())
    errors = {}
    if not name:
        errors["name"] = "Enter the organisation's name"
    elif len(name) > NAME_MAX:
        errors["name"] = f"Name must be {NAME_MAX} characters or fewer"
    if kind not in OrganisationKind.values:
        errors["kind"] = "Choose what kind of organisation it is"
    regions = list(dict.fromkeys(regions))
    if not regions:
        errors["regions"] = "Choose at least one region the organisation works in"
    elif any(code not in Region.values for code in regions):
        errors["regions"] = "Choose regions from the list"
    if errors:
        raise ProviderError("Check the organisation's details.", errors)
    return {"name": name, "kind": kind, "regions": regions, "website": website.strip()}


def _unique_slug(name: str) -> str:
    base = (slugify(name)[:60].strip("-")) or "organisation"
    if base in RESERVED_SLUGS:
        base = f"{base}-organisation"
    taken = set(Organisation.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, number = base, 2
    while slug in taken:
        slug, number = f"{base}-{number}", number + 1
    return slug


@transaction.atomic
def organisation_register(
    *, actor, name: str, kind: str, regions, website: str = ""
) -> Organisation:
    """A new organisation, unverified, with `actor` as its first admin."""
    _require(actor, "accreditation.register_organisation")
    details = _check_details(name=name, kind=kind, regions=regions, website=website)
    if Organisation.objects.filter(name__iexact=details["name"]).exists():
        raise ProviderError(
            "An organisation with this name is already registered. Ask one of its admins to "
            "invite you.",
            {"name": "An organisation with this name is already registered"},
        )
    try:
        with transaction.atomic():
            organisation = Organisation.objects.create(
                **details, slug=_unique_slug(details["name"]), created_by=actor
            )
    except IntegrityError as error:  # two registrations of the same name at once
        raise ProviderError(
            "Someone registered this name at the same moment; try again."
        ) from error
    ProviderStaff.objects.create(
        organisation=organisation, user=actor, role=StaffRole.ADMIN, added_by=actor
    )
    role_grant(user=actor, role=Role.PROVIDER_ADMIN, actor=actor)
    audit_record(
        actor=actor,
        action="provider.register",
        target=organisation,
        data={"name": organisation.name, "kind": organisation.kind},
    )
    return organisation


@transaction.atomic
def organisation_update(
    *, actor, organisation: Organisation, name: str, kind: str, regions, website: str = ""
) -> Organisation:
    """Change the details (the address of its pages stays)."""
    _require(actor, "accreditation.change_organisation", organisation)
    details = _check_details(name=name, kind=kind, regions=regions, website=website)
    if (
        Organisation.objects.filter(name__iexact=details["name"])
        .exclude(pk=organisation.pk)
        .exists()
    ):
        raise ProviderError(
            "Another organisation is registered with this name.",
            {"name": "Another organisation is registered with this name"},
        )
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    changed = {
        field: value for field, value in details.items() if getattr(organisation, field) != value
    }
    if not changed:
        return organisation
    for field, value in changed.items():
        setattr(organisation, field, value)
    try:
        with transaction.atomic():
            organisation.save(update_fields=list(changed))
    except IntegrityError as error:  # the same name taken at the same moment
        raise ProviderError(
            "Another organisation is registered with this name.",
            {"name": "Another organisation is registered with this name"},
        ) from error
    audit_record(
        actor=actor,
        action="provider.update",
        target=organisation,
        data={"changed": sorted(changed)},
    )
    return organisation


@transaction.atomic
def organisation_verify(*, actor, organisation: Organisation) -> Organisation:
    """A coordinator confirms the organisation is who it says it is; its admins are told."""
    _require(actor, "accreditation.verify_organisations")
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.verified_at is not None:
        raise ProviderError(f"{organisation.name} has already been verified.")
    organisation.verified_at = timezone.now()
    organisation.verified_by = actor
    organisation.save(update_fields=["verified_at", "verified_by"])
    audit_record(actor=actor, action="provider.verify", target=organisation)
    link = settings.SITE_URL.rstrip("/") + reverse(
        "accreditation:organisation-detail", args=[organisation.slug]
    )
    for staff in organisation.staff.filter(role=StaffRole.ADMIN).select_related("user"):
        email_queue_template(
            to=staff.user.email,
            kind="accreditation_provider_verified",
            context={
                "name": staff.user.display_name,
                "organisation": organisation.name,
                "link": link,
            },
            related=organisation,
        )
    return organisation


# Programmes ------------------------------------------------------------------------------------


def _check_programme(
    *, name, conditions, formats, licensed, licence_name, deliverers, trainers
) -> dict:
    name = " ".join(name.split())
    conditions = " ".join(conditions.split())
    licence_name = " ".join(licence_name.split()) if licensed else ""
    formats = list(dict.fromkeys(formats))
    errors = {}
    if not name:
        errors["name"] = "Enter the programme's name"
    elif len(name) > 200:
        errors["name"] = "Name must be 200 characters or fewer"
    if not conditions:
        errors["conditions"] = "Enter the conditions the programme is for"
    elif len(conditions) > 500:
        errors["conditions"] = "Conditions must be 500 characters or fewer"
    if not formats or any(code not in ProgrammeFormat.values for code in formats):
        errors["formats"] = "Choose how the programme is delivered"
    if licensed and not licence_name:
        errors["licence_name"] = "Enter the name of the licensed course"
    elif len(licence_name) > 200:
        errors["licence_name"] = "Licence name must be 200 characters or fewer"
    for field, value in (("deliverers", deliverers), ("trainers", trainers)):
        if value is None or value < 0 or value > 100_000:
            errors[field] = "Enter a whole number from 0 to 100,000"
    if errors:
        raise ProviderError("Check the programme's details.", errors)
    return {
        "name": name,
        "conditions": conditions,
        "formats": formats,
        "licensed": bool(licensed),
        "licence_name": licence_name,
        "deliverers": deliverers,
        "trainers": trainers,
    }


@transaction.atomic
def programme_add(*, actor, organisation: Organisation, **fields) -> Programme:
    _require(actor, "accreditation.change_programmes", organisation)
    programme = Programme.objects.create(organisation=organisation, **_check_programme(**fields))
    audit_record(
        actor=actor, action="provider.programme_add", target=programme,
        data={"organisation": organisation.name, "name": programme.name},
    )  # fmt: skip
    return programme


@transaction.atomic
def programme_update(*, actor, programme: Programme, **fields) -> Programme:
    _require(actor, "accreditation.change_programmes", programme.organisation)
    programme = Programme.objects.select_for_update().get(pk=programme.pk)
    checked = _check_programme(**fields)
    changed = [field for field, value in checked.items() if getattr(programme, field) != value]
    if not changed:
        return programme
    for field in changed:
        setattr(programme, field, checked[field])
    programme.updated_at = timezone.now()
    programme.save(update_fields=[*changed, "updated_at"])
    audit_record(
        actor=actor, action="provider.programme_update", target=programme,
        data={"changed": sorted(changed)},
    )  # fmt: skip
    return programme


@transaction.atomic
def programme_remove(*, actor, programme: Programme) -> None:
    _require(actor, "accreditation.change_programmes", programme.organisation)
    deleted, _ = Programme.objects.filter(pk=programme.pk).delete()
    if not deleted:
        raise ProviderError("This programme has already been removed.")
    audit_record(
        actor=actor, action="provider.programme_remove", target=programme.organisation,
        data={"programme": programme.name},
    )  # fmt: skip


# Staff (through the role registry) -------------------------------------------------------------


@transaction.atomic
def provider_staff_add(*, actor, organisation: Organisation, user, role: str) -> ProviderStaff:
    """`user` works for `organisation` as `role`. Called by the role kind's `grant`, inside
    `person_role_grant`, which checked that `actor` may give it and audits the change."""
    _require(actor, "accreditation.manage_provider_staff", organisation)
    if role not in StaffRole.values:
        raise ProviderError("Choose admin or contributor.", {"scope": "Choose a role"})
    existing = ProviderStaff.objects.filter(organisation=organisation, user=user).first()
    if existing is not None:
        raise ProviderError(
            f"{user.display_name} already works for {organisation.name} as "
            f"{existing.get_role_display().lower()}. Remove them first to change their role."
        )
    row = ProviderStaff.objects.create(
        organisation=organisation, user=user, role=role, added_by=actor
    )
    if role == StaffRole.ADMIN:
        role_grant(user=user, role=Role.PROVIDER_ADMIN, actor=actor)
    return row


@transaction.atomic
def provider_staff_remove(*, actor, organisation: Organisation, user) -> bool:
    """`user` no longer works for `organisation`; refused for its last admin. Called by the
    role kind's `revoke`, inside `person_role_revoke`."""
    _require(actor, "accreditation.manage_provider_staff", organisation)
    rows = list(
        ProviderStaff.objects.select_for_update().filter(organisation=organisation).order_by("pk")
    )
    row = next((r for r in rows if r.user_id == user.pk), None)
    if row is None:
        return False
    if row.is_admin and not any(r.is_admin for r in rows if r.pk != row.pk):
        raise ProviderError(
            f"{user.display_name} is the last admin of {organisation.name}. Make someone else "
            "an admin first, so the organisation always has someone to run it."
        )
    row.delete()
    if row.is_admin and not ProviderStaff.objects.filter(user=user, role=StaffRole.ADMIN).exists():
        role_revoke(user=user, role=Role.PROVIDER_ADMIN, actor=actor)
    return True


def provider_staff_erase(user) -> None:
    """A deleted account works for no organisation (`accreditation.personal_data`); the
    organisations stay, even one left without an admin (a coordinator can see it)."""
    ProviderStaff.objects.filter(user=user).delete()
    UserRole.objects.filter(user=user, role=Role.PROVIDER_ADMIN).delete()
