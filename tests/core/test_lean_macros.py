"""Each lean macro in templates/includes/lean.jinja must draw exactly what the official NHS.UK
macro draws for the same parameters (after whitespace is normalised)."""

import re

import pytest
from django.template import engines

OFFICIAL_IMPORTS = (
    '{% from "nhsuk/components/card/macro.jinja" import card %}'
    '{% from "nhsuk/components/tag/macro.jinja" import tag %}'
    '{% from "nhsuk/components/checkboxes/macro.jinja" import checkboxes %}'
    '{% from "includes/lean.jinja" import lean_card, lean_tag, lean_checkboxes %}'
)


def render(source: str, **context) -> str:
    return engines["jinja2"].env.from_string(OFFICIAL_IMPORTS + source).render(context)


def normalise(html: str) -> str:
    html = re.sub(r"\s+", " ", html)
    html = re.sub(r">\s+", ">", html)
    html = re.sub(r"\s+<", "<", html)
    html = re.sub(r"\s+>", ">", html)
    return html.strip()


def assert_same(official: str, lean: str, **context) -> None:
    expected = normalise(render(official, **context))
    assert expected  # the official macro drew something
    assert normalise(render(lean, **context)) == expected


def test_normalise_collapses_whitespace_and_strips_between_tags():
    assert normalise('<p  class="a"\n  >\n  Two  words\n</p>\n<b>x</b>') == (
        '<p class="a">Two words</p><b>x</b>'
    )


@pytest.mark.parametrize("classes", ["", "nhsuk-tag--white"])
@pytest.mark.parametrize("text", ["Sepsis", "Mental health & wellbeing", "<b>not bold</b>"])
def test_lean_tag_matches_official_tag(text, classes):
    assert_same(
        '{{ tag({"text": text, "classes": classes}) }}',
        "{{ lean_tag(text, classes) }}",
        text=text,
        classes=classes,
    )


CARD_BODY = '<p class="nhsuk-card__description">{{ job }}</p>{{ lean_tag("Sepsis") }}'


@pytest.mark.parametrize(("level", "classes"), [(2, ""), (3, "nhsuk-heading-s")])
@pytest.mark.parametrize("name", ["Jo Smith", "Siân O'Neill & <Partner>"])
def test_lean_card_matches_official_card(name, level, classes):
    assert_same(
        '{% call card({"href": href, "heading": name, "headingLevel": level,'
        ' "headingClasses": classes}) %}' + CARD_BODY + "{% endcall %}",
        "{% call lean_card(href, name, level, classes) %}" + CARD_BODY + "{% endcall %}",
        href="/directory/jo-smith/?a=1&b=2",
        name=name,
        level=level,
        classes=classes,
        job="Improvement lead, Northshire & District",
    )


@pytest.mark.parametrize("small", [True, False])
@pytest.mark.parametrize("legend_classes", ["", "nhsuk-u-visually-hidden"])
def test_lean_checkboxes_match_official_checkboxes(small, legend_classes):
    items = [
        {"value": "sepsis", "text": "Sepsis", "checked": True},
        {"value": "mental-health", "text": "Mental health & wellbeing", "checked": False},
        {"value": "<x>", "text": "<script>alert(1)</script>", "checked": True},
    ]
    assert_same(
        '{{ checkboxes({"idPrefix": "filter-topic", "name": "topic", "small": small,'
        ' "fieldset": {"legend": {"text": "Topic", "classes": legend_classes}},'
        ' "items": items}) }}',
        '{{ lean_checkboxes("topic", "filter-topic", "Topic", items, legend_classes, small) }}',
        items=items,
        small=small,
        legend_classes=legend_classes,
    )
