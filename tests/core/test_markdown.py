"""User-written markdown is sanitised: none of these payloads may survive as live markup."""

import pytest

from qcommunity.core.markdown import render_markdown

XSS_PAYLOADS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg/onload=alert(1)>",
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<iframe src=https://evil.example></iframe>",
    '<div style="background:url(javascript:alert(1))">x</div>',
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    '<a href="https://ok.example" onclick="alert(1)">x</a>',
    "![x](https://evil.example/x.png)",
    "<form action=https://evil.example><button>go</button></form>",
    '<object data="x.swf"></object>',
    "<body onload=alert(1)>",
    '"><script>alert(1)</script>',
    "<details open ontoggle=alert(1)>",
    "<input autofocus onfocus=alert(1)>",
]

FORBIDDEN = [
    "<script",
    "onerror",
    "onload",
    "javascript:",
    "<iframe",
    "style=",
    "onclick",
    "<img",
    "<form",
    "<object",
    "ontoggle",
    "onfocus",
    "<svg",
    "data:text",
]


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_markdown_neutralises_xss(payload):
    html = str(render_markdown(payload)).lower()
    for marker in FORBIDDEN:
        assert marker not in html, f"{marker!r} survived in {html!r}"


def test_markdown_keeps_ordinary_formatting_and_safe_links():
    html = str(render_markdown("**Bold** and [a link](https://example.org)\n\n- one\n- two"))
    assert "<strong>Bold</strong>" in html
    assert '<a href="https://example.org" rel="nofollow noopener noreferrer">a link</a>' in html
    assert "<li>one</li>" in html


def test_markdown_of_empty_text_is_empty():
    assert str(render_markdown("")) == ""
