"""Counts meet their nouns in the right number on the Exchange writing side (issue 13 point
5): the round page's theme sentence and each member's number of choices, and the word limit
of an answer. A published round has at least one theme and a ballot of at least one choice
(the round's own checks), so 1 and 2 are the counts a page can show."""

import pytest
from django.urls import reverse

from exchange.proposals.services import answer_problems
from exchange.rounds.models import Section
from tests.factories.exchange import make_exchange_round

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("themes", "choices", "expected"),
    [
        (
            1,
            1,
            "Every idea answers this theme question. When voting opens, each member chooses "
            "1 proposal in every theme.",
        ),
        (
            2,
            2,
            "Every idea answers one of these 2 theme questions. When voting opens, each member "
            "chooses 2 proposals in every theme.",
        ),
        (
            1,
            2,
            "Every idea answers this theme question. When voting opens, each member chooses "
            "2 proposals in every theme.",
        ),
    ],
)
def test_the_round_page_counts_its_themes_and_choices(client, themes, choices, expected):
    round_ = make_exchange_round(themes=themes, choices_per_theme=choices, voting_open=False)
    html = client.get(reverse("exchange:round-detail", kwargs={"year": round_.year}))
    text = " ".join(html.content.decode().split())
    assert expected in text
    assert "one of this theme question" not in text


@pytest.mark.parametrize(
    ("limit", "expected"),
    [(1, "must be 1 word or fewer. It has 2."), (2, "must be 2 words or fewer. It has 3.")],
)
def test_the_word_limit_message_agrees_with_the_limit(limit, expected):
    round_ = make_exchange_round(sections=1, voting_open=False)
    section = round_.sections.get()
    Section.objects.filter(pk=section.pk).update(word_limit=limit)
    section.refresh_from_db()
    text = " ".join(["word"] * (limit + 1))
    assert expected in answer_problems([section], {section.pk: text})[f"answer_{section.pk}"]
