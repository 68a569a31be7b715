"""Counting words the one way the whole site counts them: the server's limits and the live
count on the page (static/js word count) must agree, so both split on runs of whitespace."""

import re

_WORD = re.compile(r"\S+")


def word_count(text: str | None) -> int:
    """Words in `text`: runs of characters between whitespace. "well-led" is one word, a
    lone dash or bullet is one too (what a person counting by eye would also count)."""
    if not text:
        return 0
    return len(_WORD.findall(text))
