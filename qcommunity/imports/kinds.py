"""The import kit: one pattern for every import of past data, and the registry of import kinds.

An app declares its kinds in its own `imports` module (found by `autodiscover_modules("imports")`
when the site starts), so the kit never imports the apps:

    register(PastRoundsImport())

An `ImportKind` fills in four hooks, each given the rows its `parse` returned:

- `parse(data, file_format)`: the file's bytes to rows, or `ImportFileError` when the file as a
  whole cannot be read (the kit has already refused binary files and spreadsheets);
- `validate(rows)`: every row's problems, each with where it is in the file ("Row 4",
  "Round 2018, proposal 3, comment 2") so a person can find and fix it;
- `plan(rows)`: every thing the file describes, each with its idempotent key (unique within
  the kind: a round's year, a proposal's address, a person's email), its type and label, and
  `exists=True` when the site already has it without an import (an account, say). The kit marks
  as unchanged everything an earlier import made (`ImportedRecord`) and shows the rest as what
  will be created;
- `apply(rows, context)`: makes what is missing, inside the kit's one transaction, and tells
  the kit each thing it made (`context.made(...)`) so its key is recorded. It must send no email
  and no notification: imported history is not news.

Nothing is written by parse, validate or plan."""

from __future__ import annotations

import csv
import io
import json
from abc import ABC, abstractmethod
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from qcommunity.core.errors import ServiceError
from qcommunity.core.registry import Registry

from .enums import FileFormat

MAX_BYTES = 5 * 1024 * 1024


class ImportFileError(ServiceError):
    """The file as a whole cannot be read (see `ServiceError`)."""


@dataclass(frozen=True)
class RowError:
    """One problem in the file: `where` a person finds it ("Row 3", "Proposal 2, comment 1"),
    and what is wrong in plain words."""

    where: str
    message: str


@dataclass(frozen=True)
class PlanItem:
    """One thing the file describes: a "Round", a "Proposal", a "Comment"...; `key` is unique
    within the kind and the same whenever the same thing is imported again."""

    type: str
    key: str
    label: str
    exists: bool = False


@dataclass
class ApplyContext:
    """What `apply` is given: who confirms, the import, and the keys earlier imports recorded
    ({key: (model label, object id)}). `made()` records a new thing for the kit to keep."""

    actor: Any
    data_import: Any
    recorded: dict[str, tuple[str, str]]
    created: list[dict] = field(default_factory=list)
    new_records: list[tuple[str, Any]] = field(default_factory=list)

    def recorded_id(self, key: str) -> str | None:
        found = self.recorded.get(key)
        return found[1] if found else None

    def made(self, *, kind_of: str, key: str, obj, label: str = "", href: str = "") -> None:
        self.new_records.append((key, obj))
        self.recorded[key] = (obj._meta.label_lower, str(obj.pk))
        self.created.append({"type": kind_of, "label": label or str(obj), "href": href})


class ImportKind(ABC):
    """One kind of past data staff can import (see the module's docstring)."""

    key: str = ""
    label: str = ""
    # What the file holds, in a sentence or two, for the upload page.
    description: str = ""
    formats: Sequence[str] = (FileFormat.JSON, FileFormat.CSV)
    # What the file holds, field by field in brief, for the upload page.
    guide: str = ""
    order: int = 100
    # The types it makes, in the order the preview lists them ("Round", "Proposal"...).
    types: Sequence[str] = ()

    @property
    def noun(self) -> str:
        """The label inside a sentence: "Import past Q Exchange rounds"."""
        return self.label[:1].lower() + self.label[1:]

    @abstractmethod
    def parse(self, data: bytes, file_format: str) -> Any:
        """The file's rows, or ImportFileError when the file as a whole cannot be read."""

    @abstractmethod
    def validate(self, rows: Any) -> list[RowError]:
        """Every problem in the rows, each with where it is in the file. Writes nothing."""

    @abstractmethod
    def plan(self, rows: Any) -> list[PlanItem]:
        """Every thing the rows describe, with its key. Writes nothing."""

    @abstractmethod
    def apply(self, rows: Any, context: ApplyContext) -> None:
        """Make what is missing, telling `context.made()` each thing. Sends nothing."""


KINDS: Registry[ImportKind] = Registry("Import kind")
register = KINDS.register
unregister = KINDS.unregister
get_kind = KINDS.get
all_kinds = KINDS.all


# Reading files ----------------------------------------------------------------------------

_SPREADSHEET_MAGIC = (b"PK\x03\x04", b"\xd0\xcf\x11\xe0")  # .xlsx/.ods (zip) and .xls (OLE)


def file_format_of(filename: str, formats: Iterable[str]) -> str:
    """The format the file's name says, if the kind accepts it; ImportFileError otherwise."""
    accepted = list(formats)
    words = " or ".join(FileFormat(f).label for f in accepted)
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension in ("xlsx", "xls", "ods", "numbers"):
        raise ImportFileError(
            f"The selected file is a spreadsheet. Save it as {words} and upload that instead "
            "(in Excel, choose Save as, then CSV UTF-8)."
        )
    if extension not in accepted:
        raise ImportFileError(f"The selected file must be a {words} file.")
    return extension


def decode_text(data: bytes, filename: str = "") -> str:
    """The file's text, refusing empty, binary and spreadsheet files with a clear reason."""
    if not data.strip():
        raise ImportFileError("The selected file is empty.")
    if len(data) > MAX_BYTES:
        raise ImportFileError(f"The selected file must be smaller than {MAX_BYTES // 2**20}MB.")
    if data.startswith(_SPREADSHEET_MAGIC):
        raise ImportFileError(
            "The selected file is a spreadsheet, not a text file. Save it as CSV UTF-8 (in "
            "Excel, choose Save as, then CSV UTF-8) and upload that instead."
        )
    if b"\x00" in data:
        raise ImportFileError("The selected file is not a text file. Upload a JSON or CSV file.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            "The selected file must be saved as UTF-8 text. In Excel, choose Save as, then "
            "CSV UTF-8 (comma delimited)."
        ) from None


def read_json(data: bytes) -> Any:
    text = decode_text(data)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"The file is not valid JSON: {error.msg} at line {error.lineno}, column {error.colno}."
        ) from None


@dataclass(frozen=True)
class CsvRow:
    number: int  # as a spreadsheet numbers it: the header is row 1
    values: dict[str, str]


def read_csv(data: bytes, *, required: Sequence[str], optional: Sequence[str] = ()) -> list[CsvRow]:
    """The rows of a CSV file whose first row names its columns (any order, any case), blank
    rows skipped. A row with the wrong number of values is kept with `values` empty, for
    `validate` to report."""
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFileError("The selected file is empty.") from None
    except csv.Error as error:
        raise ImportFileError(f"The file could not be read as CSV: {error}.") from None
    known = list(required) + list(optional)
    unknown = [h for h in header if h not in known]
    missing = [c for c in required if c not in header]
    if unknown or missing or len(set(header)) != len(header):
        problems = []
        if missing:
            problems.append(f"Missing columns: {', '.join(missing)}.")
        if unknown:
            problems.append(f"Unknown columns: {', '.join(unknown)}.")
        if len(set(header)) != len(header):
            problems.append("A column is named twice.")
        raise ImportFileError(
            f"The first row must name the columns: {', '.join(known)} (required: "
            f"{', '.join(required)}). " + " ".join(problems)
        )
    rows = []
    try:
        for number, values in enumerate(reader, start=2):
            if not any(v.strip() for v in values):
                continue
            if len(values) != len(header):
                rows.append(CsvRow(number=number, values={}))
                continue
            rows.append(
                CsvRow(
                    number=number,
                    values=dict(zip(header, (v.strip() for v in values), strict=True)),
                )
            )
    except csv.Error as error:
        raise ImportFileError(f"The file could not be read as CSV: {error}.") from None
    return rows
