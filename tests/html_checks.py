"""Helpers that read a page the way a person does: the links they can click, and markup that
would show as text instead of working."""

import re
from html import unescape

ESCAPED_TAGS = ("&lt;a ", "&lt;span", "&lt;strong")


def page_text(response) -> str:
    return response.content.decode()


def escaped_tags(response) -> list[str]:
    """Escaped tags a reader would see as text (`&lt;a href=...`), with a little context."""
    body = page_text(response)
    return [
        body[max(0, m.start() - 40) : m.end() + 40]
        for tag in ESCAPED_TAGS
        for m in re.finditer(re.escape(tag), body)
    ]


def links(response) -> list[tuple[str, str]]:
    """Every link on the page as (visible text, href), the text with tags removed and spaces
    folded."""
    body = page_text(response)
    found = []
    for match in re.finditer(r"<a\b([^>]*)>(.*?)</a>", body, re.S):
        href = re.search(r'href="([^"]*)"', match.group(1))
        text = " ".join(unescape(re.sub(r"<[^>]+>", " ", match.group(2))).split())
        found.append((text, unescape(href.group(1)) if href else ""))
    return found


def has_link(response, text: str, href: str) -> bool:
    """True when the page has a link whose visible text contains `text` and whose href is
    `href` (the path, query string allowed)."""
    return any(text in shown and target == href for shown, target in links(response))


def visible_text(response) -> str:
    """The page's text as a person reads it: tags removed, entities decoded, spaces collapsed."""
    text = re.sub(r"<(script|style)\b.*?</\1>", " ", response.content.decode(), flags=re.S)
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", text))).strip()
