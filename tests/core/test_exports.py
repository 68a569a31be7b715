"""The one CSV helper every staff export uses: formula-safe cells, the file's name and encoding,
and the audit row of each download."""

import csv
import datetime as dt
import io
import re

import pytest

from qcommunity.audit.models import AuditEntry
from qcommunity.core.errors import ServiceError
from qcommunity.core.exports import (
    NAME_LIMIT,
    csv_response,
    export_filename,
    export_record,
    safe_cell,
)

DAY = dt.date(2026, 12, 7)
HOSTILE = [
    '=HYPERLINK("http://evil.example","Click")',
    "+1",
    "-1+2",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
    "\uff1dSUM(1)",
    "=cmd|' /C calc'!A0",
]


@pytest.mark.parametrize("value", HOSTILE)
def test_safe_cell_neutralises_every_formula_start(value):
    assert safe_cell(value) == "'" + value


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("plain", "plain"),
        ("", ""),
        (None, ""),
        (42, "42"),
        (-3, "'-3"),
        ("a=b", "a=b"),
        ("Wessex; Wales", "Wessex; Wales"),
        (" =1", " =1"),
        ("Zoë O'Neill", "Zoë O'Neill"),
    ],
)
def test_safe_cell_leaves_other_values_as_they_are(value, expected):
    assert safe_cell(value) == expected


def _read(response) -> tuple[bytes, list[list[str]]]:
    data = b"".join(response.streaming_content)
    return data, list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))


def test_csv_response_guards_every_cell_header_included():
    response = csv_response(
        filename_parts=["test"],
        header=["=Name", "Count"],
        rows=[[value, 1] for value in HOSTILE],
    )
    _, rows = _read(response)
    assert rows[0] == ["'=Name", "Count"]
    assert [row[0] for row in rows[1:]] == ["'" + value for value in HOSTILE]
    assert all(not row[0].startswith(("=", "+", "-", "@", "\t", "\r")) for row in rows)


def test_csv_response_is_utf8_with_one_byte_order_mark_and_not_cached():
    response = csv_response(
        filename_parts=["test"], header=["Name"], rows=[["Siân Jones"], ["Zoë"], [None]]
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    data, rows = _read(response)
    assert data.startswith(b"\xef\xbb\xbfName\r\n")
    assert data.count(b"\xef\xbb\xbf") == 1
    assert rows == [["Name"], ["Siân Jones"], ["Zoë"], [""]]
    assert "Siân".encode() in data


def test_csv_response_reads_rows_only_while_streaming():
    read = []

    def rows():
        for n in range(3):
            read.append(n)
            yield [n]

    response = csv_response(filename_parts=["test"], header=["N"], rows=rows())
    assert read == []
    _, got = _read(response)
    assert got == [["N"], ["0"], ["1"], ["2"]]


def test_csv_response_names_the_file_for_its_query(settings):
    response = csv_response(
        filename_parts=["exchange", "2026", "proposals"],
        filters={"stage": ["funded"], "q": "safety"},
        header=["Title"],
        rows=[],
    )
    disposition = response["Content-Disposition"]
    stem = "exchange-2026-proposals-stage-funded-q-safety"
    assert re.fullmatch(rf'attachment; filename="{stem}-\d{{4}}-\d\d-\d\d\.csv"', disposition)


def test_filename_lists_parts_then_filters_then_the_date():
    name = export_filename(
        ["exchange", "2026", "proposals"], {"stage": ["funded"], "q": "safety"}, on=DAY
    )
    assert name == "exchange-2026-proposals-stage-funded-q-safety-2026-12-07.csv"


def test_filename_leaves_out_filters_without_a_value():
    name = export_filename(["q", "directory"], {"region": "", "topic": [], "q": None}, on=DAY)
    assert name == "q-directory-2026-12-07.csv"
    several = export_filename(["x"], {"stage": ["funded", "not_funded"]}, on=DAY)
    assert several == "x-stage-funded-not-funded-2026-12-07.csv"


@pytest.mark.parametrize(
    "hostile",
    [
        '../../etc/passwd"; filename="evil.exe',
        "CON:<>|?*\\/",
        "=HYPERLINK(1)\r\nSet-Cookie: a=b",
        "Zoë's \u202eexe.csv",
        "\x00\x1f",
    ],
)
def test_filename_has_only_letters_digits_and_hyphens(hostile):
    name = export_filename(["exchange", hostile], {"q": hostile}, on=DAY)
    assert re.fullmatch(r"[a-z0-9-]+\.csv", name), name
    assert not name.startswith("-")
    assert "--" not in name


def test_filename_is_bounded_and_cut_at_a_whole_word():
    name = export_filename(["exchange"], {"q": "improvement " * 40}, on=DAY)
    stem = name.removesuffix("-2026-12-07.csv")
    assert len(stem) <= NAME_LIMIT
    assert stem.startswith("exchange-q-improvement-")
    assert set(stem.split("-")) == {"exchange", "q", "improvement"}
    one_long_word = export_filename(["x" * 300], on=DAY)
    assert one_long_word == "x" * NAME_LIMIT + "-2026-12-07.csv"


def test_filename_of_nothing_usable_is_still_a_name():
    assert export_filename(["!!!"], {"q": "???"}, on=DAY) == "export-2026-12-07.csv"


@pytest.mark.django_db
def test_export_record_audits_who_which_export_filters_and_rows(staff_admin):
    export_record(
        actor=staff_admin,
        action="test.export",
        permission="members.export_directory",
        filters={"region": "wales", "topic": [], "q": ""},
        row_count=12,
        target=staff_admin,
    )
    entry = AuditEntry.objects.get(action="test.export")
    assert entry.actor == staff_admin
    assert entry.data == {"filters": {"region": "wales"}, "rows": 12}
    assert entry.target_id == str(staff_admin.pk)


@pytest.mark.django_db
def test_export_record_refuses_without_the_permission(member):
    with pytest.raises(ServiceError):
        export_record(
            actor=member,
            action="test.export",
            permission="members.export_directory",
            filters={},
            row_count=1,
        )
    assert not AuditEntry.objects.filter(action="test.export").exists()
