"""Helpers for reading the pages the tests get back."""

import re


def error_messages(response) -> list[str]:
    """The texts in the page's NHS error summary, in order."""
    body = response.content.decode()
    summary = re.search(r'class="nhsuk-error-summary".*?</ul>', body, re.S)
    assert summary, "page has no error summary"
    return [
        " ".join(re.sub(r"<[^>]+>", "", item).split())
        for item in re.findall(r"<li>(.*?)</li>", summary.group(0), re.S)
    ]
