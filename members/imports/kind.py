"""Past members: the import kind (`qcommunity.imports.kinds.ImportKind`).

A CSV of people who were members before this site: name, email, region and the date they
joined, with their job title and organisation when known. For each person, keyed by their email
address (so importing the file again, or one that overlaps it, creates nothing twice):
- the account, when there is none with that address: no usable password (they sign in by
  resetting it) and nothing sent;
- membership, when they are not a member yet, through the directory's `member_make`: the member
  role backdated to the join date and a hidden directory entry filled in from the row.
An account that is already a member is left as it is. No email is sent."""

import datetime as dt
import zoneinfo

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils import timezone

from qcommunity.accounts.enums import Role
from qcommunity.accounts.models import UserRole
from qcommunity.core.taxonomy import Region
from qcommunity.imports.enums import FileFormat
from qcommunity.imports.kinds import ApplyContext, CsvRow, ImportKind, PlanItem, RowError, read_csv

from ..directory.services import member_make

KEY = "past-members"
LONDON = zoneinfo.ZoneInfo("Europe/London")
REQUIRED = ("name", "email", "region", "joined")
OPTIONAL = ("job_title", "organisation")
LIMITS = {"name": 200, "job_title": 150, "organisation": 200}
_REGIONS = {
    **{value: value for value, _label in Region.choices},
    **{label.lower(): value for value, label in Region.choices},
}


def region_of(text: str) -> str | None:
    """A region by its name ("Wessex", "North East and North Cumbria") or its code."""
    return _REGIONS.get(text.strip().lower())


def joined_on(text: str) -> dt.date | None:
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        return None


def _email(row: CsvRow) -> str:
    return row.values["email"].strip().lower()


class PastMembersImport(ImportKind):
    key = KEY
    label = "Past members"
    description = (
        "People who were members of Q before this site, with their region and the date they "
        "joined: each gets an account (when they have none) and membership, with a hidden "
        "directory entry. Nobody is emailed; they sign in by resetting their password."
    )
    guide = (
        "The file is CSV with the columns name, email, region, joined (a date like 2017-03-01), "
        "and optionally job_title and organisation. The region is one of the 18 regions, by "
        "name. An example file is in docs/imports in the site's code."
    )
    formats = (FileFormat.CSV,)
    types = ("Account", "Membership")
    order = 10

    def parse(self, data: bytes, file_format: str) -> list[CsvRow]:
        return read_csv(data, required=REQUIRED, optional=OPTIONAL)

    def validate(self, rows: list[CsvRow]) -> list[RowError]:
        errors: list[RowError] = []
        if not rows:
            errors.append(RowError("The file", "The file has no people in it."))
        seen: dict[str, int] = {}
        today = timezone.localdate()
        inactive = set(
            get_user_model()
            .objects.annotate(address=Lower("email"))
            .filter(address__in=[_email(r) for r in rows if r.values], is_active=False)
            .values_list("address", flat=True)
        )
        for row in rows:
            where = f"Row {row.number}"
            if not row.values:
                errors.append(RowError(where, "The row does not have one value for each column."))
                continue
            v = row.values
            if not v["name"]:
                errors.append(RowError(where, "Give the person's name."))
            email = _email(row)
            try:
                validate_email(email)
            except ValidationError:
                errors.append(RowError(where, f"“{v['email']}” is not a valid email address."))
            else:
                if email in seen:
                    errors.append(RowError(where, f"The same person as row {seen[email]}."))
                seen.setdefault(email, row.number)
                if email in inactive:
                    errors.append(
                        RowError(where, "This person's account here is closed or suspended.")
                    )
            if region_of(v["region"]) is None:
                errors.append(
                    RowError(
                        where,
                        f"“{v['region']}” is not one of the 18 regions: give its name, such as "
                        "Wessex or Wales.",
                    )
                )
            joined = joined_on(v["joined"])
            if joined is None:
                errors.append(RowError(where, "“joined” must be a date like 2017-03-01."))
            elif joined > today:
                errors.append(RowError(where, "“joined” must not be in the future."))
            for name, limit in LIMITS.items():
                if len(v.get(name, "")) > limit:
                    errors.append(RowError(where, f"“{name}” must be {limit} characters or fewer."))
        return errors

    def plan(self, rows: list[CsvRow]) -> list[PlanItem]:
        emails = [_email(r) for r in rows]
        accounts = set(
            get_user_model()
            .objects.annotate(address=Lower("email"))
            .filter(address__in=emails)
            .values_list("address", flat=True)
        )
        members = set(
            UserRole.objects.annotate(address=Lower("user__email"))
            .filter(address__in=emails, role=Role.MEMBER)
            .values_list("address", flat=True)
        )
        items = []
        for row in rows:
            email, name = _email(row), row.values["name"]
            items.append(
                PlanItem("Account", f"account:{email}", f"{name} ({email})", email in accounts)
            )
            items.append(
                PlanItem("Membership", f"member:{email}", f"{name} ({email})", email in members)
            )
        return items

    def apply(self, rows: list[CsvRow], context: ApplyContext) -> None:
        user_model = get_user_model()
        emails = [_email(r) for r in rows]
        accounts = {
            user.address: user
            for user in user_model.objects.annotate(address=Lower("email")).filter(
                address__in=emails
            )
        }
        members = set(
            UserRole.objects.filter(user__in=accounts.values(), role=Role.MEMBER).values_list(
                "user_id", flat=True
            )
        )
        for row in rows:
            v, email = row.values, _email(row)
            joined = joined_on(v["joined"])
            joined_at = dt.datetime(joined.year, joined.month, joined.day, 12, tzinfo=LONDON)
            user = accounts.get(email)
            # What an earlier import made stays as staff left it since (a membership ended, an
            # account deleted): importing again never brings it back.
            if user is None and context.recorded_id(f"account:{email}"):
                continue
            if user is None:
                user = user_model.objects.create_user(
                    email=email, password=None, full_name=v["name"], date_joined=joined_at
                )
                EmailAddress.objects.create(user=user, email=email, primary=True, verified=False)
                context.made(
                    kind_of="Account",
                    key=f"account:{email}",
                    obj=user,
                    label=f"{v['name']} ({email})",
                )
            if user.pk in members or context.recorded_id(f"member:{email}"):
                continue
            profile = member_make(
                user=user,
                actor=context.actor,
                facts={
                    "region": region_of(v["region"]),
                    "job_title": v.get("job_title", ""),
                    "organisation": v.get("organisation", ""),
                },
                source={"import": context.data_import.pk},
                joined_at=joined_at,
            )
            members.add(user.pk)
            context.made(
                kind_of="Membership",
                key=f"member:{email}",
                obj=profile,
                label=f"{v['name']} ({email})",
                href=reverse("members:profile-detail", kwargs={"slug": profile.slug}),
            )
