"""Counts meet nouns in the right number in every template, through Django's ngettext."""

import pytest
from django.template import engines

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("count", "expected"),
    [(0, "0 reviews given out"), (1, "1 review given out"), (2, "2 reviews given out")],
)
def test_ngettext_in_templates_agrees_with_the_count(count, expected):
    template = engines["jinja2"].from_string(
        '{{ ngettext("%(num)d review given out", "%(num)d reviews given out", n) }}'
    )
    assert template.render({"n": count}) == expected


def test_ngettext_escapes_what_it_formats():
    template = engines["jinja2"].from_string(
        '{{ ngettext("%(num)d reply to %(who)s", "%(num)d replies to %(who)s", n, who=who) }}'
    )
    assert template.render({"n": 2, "who": "<b>Ann</b>"}) == "2 replies to &lt;b&gt;Ann&lt;/b&gt;"
