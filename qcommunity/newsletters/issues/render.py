"""An issue as its readers see it: the email (subject, plain text and HTML) for one recipient,
and the HTML fragment the web archive and the browser preview show.

Written text is markdown, rendered and sanitised by `qcommunity.core.markdown`. Merge fields
(`{{ first_name }}`, `{{ newsletter_name }}`) may appear in the title, introduction and text
sections; an unknown one is refused when the issue is saved or approved (`merge_fields_unknown`).

Sending renders one email per recipient, so the expensive part (markdown and templates) runs once
per issue: the result holds markers for the per-recipient values, and each email is a few string
replacements. The result is kept on the issue object, and across objects for issues that are
sending or sent (their content can no longer change)."""

import html
import re
from dataclasses import dataclass
from functools import lru_cache
from html.parser import HTMLParser

from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from markupsafe import Markup

from qcommunity.core.markdown import render_markdown

from ..showcase.images import showcase_image_path, showcase_image_url
from .enums import FROZEN_STATUSES, SectionKind

MERGE_FIELDS = {
    "first_name": "the reader's first name, or \u201cthere\u201d when we do not know it",
    "newsletter_name": "the name of the newsletter",
}
FIRST_NAME_FALLBACK = "there"
MERGE_FIELD_PATTERN = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")

# Private-use characters never typed by editors and untouched by escaping: they mark where each
# recipient's own values go.
FIRST_NAME_MARK = "\ue000first_name\ue001"
UNSUBSCRIBE_MARK = "\ue000unsubscribe_url\ue001"


def merge_fields_unknown(text: str) -> list[str]:
    """The merge fields in `text` that we do not know, as written (e.g. `{{ frist_name }}`)."""
    return [
        match.group(0)
        for match in MERGE_FIELD_PATTERN.finditer(text or "")
        if match.group(1) not in MERGE_FIELDS
    ]


def merge_fields_message(unknown: list[str]) -> str:
    known = ", ".join(f"{{{{ {name} }}}}" for name in MERGE_FIELDS)
    return (
        f"{' and '.join(dict.fromkeys(unknown))} is not a merge field we know. You can use {known}."
    )


def _merge_static(text: str, issue) -> str:
    """Put in the issue-wide values and mark where the reader's first name goes."""

    def replace(match: re.Match) -> str:
        name = match.group(1)
        if name == "first_name":
            return FIRST_NAME_MARK
        if name == "newsletter_name":
            return issue.newsletter.name
        return match.group(0)

    return MERGE_FIELD_PATTERN.sub(replace, text or "")


class _TextWriter(HTMLParser):
    """Sanitised markdown HTML to readable plain text: paragraphs, headings, lists with markers,
    links as "text (address)", quotes with "> "."""

    BLOCKS = frozenset({"p", "h2", "h3", "h4", "blockquote", "pre", "ul", "ol", "table", "tr"})

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.out: list[str] = []
        self.lists: list[list] = []
        self.href: str | None = None
        self.link_text: list[str] = []
        self.quote = 0

    def _newline(self, count: int = 1) -> None:
        text = "".join(self.out)
        trailing = len(text) - len(text.rstrip("\n"))
        if text and trailing < count:
            self.out.append("\n" * (count - trailing))

    def handle_starttag(self, tag, attrs):
        if tag in self.BLOCKS:
            self._newline(2 if not self.lists else 1)
        if tag == "blockquote":
            self.quote += 1
        elif tag in {"ul", "ol"}:
            self.lists.append([tag, 0])
        elif tag == "li" and self.lists:
            self._newline(1)
            self.lists[-1][1] += 1
            kind, n = self.lists[-1]
            indent = "  " * (len(self.lists) - 1)
            self.out.append(f"{indent}{n}. " if kind == "ol" else f"{indent}- ")
        elif tag == "br":
            self.out.append("\n")
        elif tag == "hr":
            self._newline(2)
            self.out.append("----------")
            self._newline(2)
        elif tag == "a":
            self.href = dict(attrs).get("href") or ""
            self.link_text = []
        elif tag in {"td", "th"}:
            self.out.append(" | ")

    def handle_endtag(self, tag):
        if tag == "a" and self.href is not None:
            text = "".join(self.link_text).strip()
            if self.href and self.href != text:
                self.out.append(f" ({self.href})")
            self.href = None
        elif tag in {"ul", "ol"} and self.lists:
            self.lists.pop()
            self._newline(2 if not self.lists else 1)
        elif tag == "blockquote":
            self.quote -= 1
            self._newline(2)
        elif tag in self.BLOCKS:
            self._newline(2 if not self.lists else 1)

    def handle_data(self, data):
        if self.href is not None:
            self.link_text.append(data)
        if not any(self.out) or "".join(self.out).endswith("\n"):
            data = data.lstrip("\n")
        if self.quote and ("".join(self.out).endswith("\n") or not self.out):
            data = "> " + data.replace("\n", "\n> ")
        self.out.append(data)

    def text(self) -> str:
        lines = [line.rstrip() for line in "".join(self.out).splitlines()]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def html_to_plain_text(fragment: str) -> str:
    writer = _TextWriter()
    writer.feed(fragment)
    writer.close()
    return writer.text()


@dataclass(frozen=True)
class RenderedSection:
    kind: str
    heading: str
    html: Markup
    text: str
    image_url: str = ""
    image_path: str = ""
    image_alt: str = ""
    link: str = ""
    link_text: str = ""


def _markdown(text: str, issue) -> tuple[Markup, str]:
    # Markdown first, then the merge fields: a reader's name is never read as markdown.
    rendered = render_markdown(text)
    with_marks = _merge_static(str(rendered), issue)
    return Markup(with_marks), html_to_plain_text(with_marks)  # noqa: S704 (sanitised above)


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL.rstrip('/')}{path}"


def _section(section, issue, frozen: bool) -> RenderedSection:
    if section.kind == SectionKind.SHOWCASE:
        item = section.showcase_item
        summary = "\n\n".join(p.strip() for p in item.summary.split("\n\n") if p.strip())
        summary_html = Markup("".join(f"<p>{html.escape(p)}</p>" for p in summary.split("\n\n")))  # noqa: S704
        return RenderedSection(
            kind=section.kind,
            heading=item.title,
            html=summary_html,
            text=summary,
            image_url=showcase_image_url(item) if item.image else "",
            image_path=showcase_image_path(item) if item.image else "",
            image_alt=item.image_alt,
            link=item.link,
            link_text=f"Find out more about {item.title}",
        )
    if section.kind == SectionKind.BLOCK and not frozen:
        heading, body = section.block.heading, section.block.body
    else:
        heading, body = section.heading, section.body
    body_html, body_text = _markdown(body, issue)
    return RenderedSection(
        kind=section.kind, heading=_merge_static(heading, issue), html=body_html, text=body_text
    )


@dataclass(frozen=True)
class IssueParts:
    title: str
    newsletter_name: str
    intro_html: Markup
    intro_text: str
    sections: tuple[RenderedSection, ...]
    web_url: str


def _build_parts(issue) -> IssueParts:
    frozen = issue.status in FROZEN_STATUSES
    sections = issue.sections.select_related("block", "showcase_item").order_by("position")
    intro_html, intro_text = _markdown(issue.intro, issue)
    return IssueParts(
        title=_merge_static(issue.title, issue),
        newsletter_name=issue.newsletter.name,
        intro_html=intro_html if issue.intro.strip() else Markup(""),
        intro_text=intro_text,
        sections=tuple(_section(s, issue, frozen) for s in sections),
        web_url=_absolute(
            reverse(
                "newsletters:issue-detail",
                kwargs={"newsletter": issue.newsletter.slug, "issue": issue.slug},
            )
        ),
    )


@lru_cache(maxsize=16)
def _frozen_parts(issue_pk: int, updated_at, status: str, issue_ref: "_IssueRef") -> IssueParts:
    return _build_parts(issue_ref.issue)


class _IssueRef:
    """Carries the issue into the cache without making it part of the key."""

    def __init__(self, issue):
        self.issue = issue

    def __hash__(self) -> int:
        return 0

    def __eq__(self, other) -> bool:
        return isinstance(other, _IssueRef)


def issue_parts(issue) -> IssueParts:
    """The issue rendered once, with markers for each reader's values."""
    parts = getattr(issue, "_compose_parts", None)
    if parts is None:
        if issue.status in FROZEN_STATUSES:
            parts = _frozen_parts(issue.pk, issue.updated_at, issue.status, _IssueRef(issue))
        else:
            parts = _build_parts(issue)
        issue._compose_parts = parts
    return parts


def issue_parts_forget(issue) -> None:
    """Drop what was rendered for this issue object (after its content changed)."""
    if hasattr(issue, "_compose_parts"):
        del issue._compose_parts
    issue.__dict__.pop("_compose_email", None)


def _email_templates(issue, with_unsubscribe: bool) -> dict:
    cache = issue.__dict__.setdefault("_compose_email", {})
    if with_unsubscribe not in cache:
        parts = issue_parts(issue)
        context = {
            "parts": parts,
            "unsubscribe_url": UNSUBSCRIBE_MARK if with_unsubscribe else "",
            "site_url": settings.SITE_URL,
        }
        cache[with_unsubscribe] = {
            "subject": parts.title,
            "body_text": re.sub(
                r"\n{3,}", "\n\n", _plain("newsletters/issues/issue_email.txt", context)
            ),
            "body_html": render_to_string("newsletters/issues/issue_email.html", context),
        }
    return cache[with_unsubscribe]


@lru_cache(maxsize=1)
def _plain_environment():
    from django.template import engines

    return engines["jinja2"].env.overlay(autoescape=False)


def _plain(template_name: str, context: dict) -> str:
    return _plain_environment().get_template(template_name).render(context)


def first_name_for(subscription) -> str:
    if subscription is None:
        return FIRST_NAME_FALLBACK
    name = (subscription.contact.name or "").strip()
    return name.split()[0] if name else FIRST_NAME_FALLBACK


def issue_render_email(issue, *, subscription=None, unsubscribe_url: str = "") -> dict:
    """The email of `issue` for one recipient: {"subject", "body_text", "body_html"}.

    `unsubscribe_url` is the recipient's https unsubscribe link (from `tokens.unsubscribe_url`);
    left blank (a test send) the footer says the real issue carries one. Cheap to call once per
    recipient: see the module docstring."""
    templates = _email_templates(issue, bool(unsubscribe_url))
    first_name = first_name_for(subscription)
    first_name_html = html.escape(first_name)
    url_html = html.escape(unsubscribe_url)
    return {
        "subject": templates["subject"].replace(FIRST_NAME_MARK, first_name),
        "body_text": templates["body_text"]
        .replace(FIRST_NAME_MARK, first_name)
        .replace(UNSUBSCRIBE_MARK, unsubscribe_url),
        "body_html": templates["body_html"]
        .replace(FIRST_NAME_MARK, first_name_html)
        .replace(UNSUBSCRIBE_MARK, url_html),
    }


def issue_render_web(issue) -> str:
    """The issue as an HTML fragment (introduction and sections, headings from h2) for the web
    archive and the browser preview. The reader is unknown, so `{{ first_name }}` reads "there"."""
    parts = issue_parts(issue)
    fragment = render_to_string("newsletters/issues/issue_web.jinja", {"parts": parts})
    return Markup(fragment.replace(FIRST_NAME_MARK, FIRST_NAME_FALLBACK))  # noqa: S704


def issue_title_web(issue) -> str:
    return issue_parts(issue).title.replace(FIRST_NAME_MARK, FIRST_NAME_FALLBACK)
