"""Reading the staff home's "Needs attention" section as a person would: its text, without
markup."""

import re

from django.urls import reverse


def attention_text(client) -> str:
    """The section's words, on one line (fetched afresh: every change must show at once)."""
    page = client.get(reverse("core-staff:index"))
    assert page.status_code == 200
    html = page.content.decode()
    section = html.split('id="attention-heading"', 1)[1].split("</section>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", section.split(">", 1)[1]).split())
