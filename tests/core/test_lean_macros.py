"""Each lean macro in templates/includes/lean.jinja must draw exactly what the official NHS.UK
macro draws for the same parameters (after whitespace is normalised)."""

import re

import pytest
from django.core.paginator import Paginator
from django.template import engines
from django.test import RequestFactory

from qcommunity.core.paging import pagination_params

OFFICIAL_IMPORTS = (
    '{% from "nhsuk/components/card/macro.jinja" import card %}'
    '{% from "nhsuk/components/tag/macro.jinja" import tag %}'
    '{% from "nhsuk/components/checkboxes/macro.jinja" import checkboxes %}'
    '{% from "nhsuk/components/pagination/macro.jinja" import pagination %}'
    '{% from "nhsuk/components/input/macro.jinja" import input %}'
    '{% from "includes/lean.jinja" import lean_card, lean_tag, lean_checkboxes, lean_pagination,'
    " lean_search_input %}"
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


@pytest.mark.parametrize(("number", "pages"), [(1, 2), (2, 2), (1, 3), (2, 3), (5, 50), (50, 50)])
def test_lean_pagination_matches_official_pagination(number, pages):
    request = RequestFactory().get("/directory/", {"q": "a & b", "region": ["wessex", "oxford"]})
    page = Paginator(range(pages * 20), 20).page(number)
    params = pagination_params(request, page)
    assert_same("{{ pagination(params) }}", "{{ lean_pagination(params) }}", params=params)


@pytest.mark.parametrize("value", ["", "sepsis", 'a "b" & <c>'])
@pytest.mark.parametrize("classes", ["", "nhsuk-u-width-two-thirds"])
def test_lean_search_input_matches_official_input(value, classes):
    assert_same(
        '{{ input({"id": "directory-q", "name": "q", "type": "search", "value": value,'
        ' "label": {"text": "Search", "size": "s"}, "hint": {"text": hint},'
        ' "autocomplete": "off", "spellcheck": false, "classes": classes}) }}',
        '{{ lean_search_input("directory-q", "q", value, "Search", hint, classes) }}',
        value=value,
        classes=classes,
        hint="For example, a name, “sepsis” or “co-production”",
    )
