"""What the imports hold about a person: imports they uploaded or confirmed as staff, and the
files and previews that name them (a past member's row, a team member or a commenter of a past
round). Deleting the account empties any stored file that holds their address and replaces their
address and name with "Former member" in what the import pages show; the imports themselves stay,
as the record of what was brought in."""

import json
import re

from django.db.models import Q, TextField
from django.db.models.functions import Cast

from qcommunity.privacy.registry import PersonalData, register

from .kinds import all_kinds
from .models import DataImport

FORMER_MEMBER = "Former member"


def imports_export(user) -> list[dict]:
    labels = {kind.key: kind.label for kind in all_kinds()}
    rows = (
        DataImport.objects.filter(Q(created_by=user) | Q(applied_by=user))
        .order_by("created_at", "id")
        .only("kind", "filename", "status", "created_at", "applied_at")
    )
    return [
        {
            "import": labels.get(row.kind, row.kind),
            "file": row.filename,
            "status": row.get_status_display(),
            "uploaded_at": row.created_at,
            "applied_at": row.applied_at,
        }
        for row in rows
    ]


def imports_erase(user) -> None:
    address = user.email.lower()
    names = sorted({n for n in (user.full_name, user.preferred_name) if n}, key=len, reverse=True)
    words = "|".join(re.escape(text) for text in [user.email, *names])
    pattern = re.compile(rf"(?<![\w@.])(?:{words})(?![\w@])", flags=re.IGNORECASE)
    # Previews and results name people by address and name; files hold them as uploaded.
    naming = (
        DataImport.objects.annotate(
            preview_text=Cast("preview", TextField()), result_text=Cast("result", TextField())
        )
        .filter(Q(preview_text__icontains=address) | Q(result_text__icontains=address))
        .only("preview", "result", "content")
    )
    for data_import in naming:
        data_import.preview = json.loads(
            pattern.sub(FORMER_MEMBER, json.dumps(data_import.preview, ensure_ascii=False))
        )
        data_import.result = json.loads(
            pattern.sub(FORMER_MEMBER, json.dumps(data_import.result, ensure_ascii=False))
        )
        for made in data_import.result.get("created", []):
            if FORMER_MEMBER in made.get("label", ""):
                made["href"] = ""  # their pages are gone, and an address can carry the name
        data_import.content = b""
        data_import.save(update_fields=["preview", "result", "content"])
    for data_import in DataImport.objects.exclude(content=b"").only("content"):
        if address.encode() in bytes(data_import.content).lower():
            data_import.content = b""
            data_import.save(update_fields=["content"])


register(
    PersonalData(
        key="imports.imports",
        label="Imports you uploaded or confirmed as staff",
        on_delete=(
            "The imports stay, as the record of what was brought in. A stored file that holds "
            'your email address is emptied, and your address and name are replaced with "Former '
            'member" where the import pages show them.'
        ),
        export=imports_export,
        erase=imports_erase,
        order=85,
    )
)
