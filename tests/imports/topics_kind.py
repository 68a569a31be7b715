"""A small import kind for the kit's tests: topics from a CSV of names (one column), each keyed
by its name. It stands for any kind an app declares."""

import pytest
from django.utils.text import slugify

from members.directory.models import Topic
from qcommunity.imports.enums import FileFormat
from qcommunity.imports.kinds import ImportKind, PlanItem, RowError, read_csv, register, unregister

KEY = "test-topics"


class TopicsImport(ImportKind):
    key = KEY
    label = "Test topics"
    description = "Topics, one name a row."
    formats = (FileFormat.CSV,)
    types = ("Topic",)

    def parse(self, data, file_format):
        return read_csv(data, required=("name",))

    def validate(self, rows):
        errors = []
        for row in rows:
            if not row.values:
                errors.append(
                    RowError(f"Row {row.number}", "The row has the wrong number of values.")
                )
            elif not row.values["name"]:
                errors.append(RowError(f"Row {row.number}", "Give the topic's name."))
            elif len(row.values["name"]) > 100:
                errors.append(RowError(f"Row {row.number}", "The name is too long."))
        return errors

    def plan(self, rows):
        existing = set(Topic.objects.values_list("name", flat=True))
        return [
            PlanItem(
                "Topic", f"topic:{r.values['name']}", r.values["name"], r.values["name"] in existing
            )
            for r in rows
        ]

    def apply(self, rows, context):
        existing = set(Topic.objects.values_list("name", flat=True))
        for row in rows:
            name = row.values["name"]
            key = f"topic:{name}"
            if context.recorded_id(key) or name in existing:
                continue
            topic = Topic.objects.create(name=name, slug=slugify(name))
            context.made(kind_of="Topic", key=key, obj=topic)


@pytest.fixture
def topics_kind():
    kind = register(TopicsImport())
    yield kind
    unregister(KEY)
