"""The bytes of an outbox message, built directly.

Django's EmailMessage hands every header to the email package, which parses it into a tree and
folds it again: about 5 ms a message on these machines, more than the whole SMTP exchange, and
paid once per recipient of a newsletter. The outbox's messages have one shape (a plain-text
body, an optional HTML alternative, a handful of headers), so this writes that shape itself:

- headers that are ASCII, need no quoting and fit on a line are written as they are; any other
  value goes through the email package (the SMTP policy's header factory and folder), remembered
  by value, so an issue's subject and sender are folded once, not once per reader;
- List-* headers hold URLs in angle brackets (RFC 2369) and are never RFC 2047-encoded (the
  email package would encode a long one, and mail clients then miss the unsubscribe address);
- each body is 7bit when it is ASCII with short lines, 8bit when it is UTF-8 with short lines
  (the SMTP policy's choice), else quoted-printable;
- a newline in any header value is refused (ValueError), as Django refuses it.

tests/outbox/test_mime.py holds it to Django's builder: parsed back, both give the same headers
and the same parts.
"""

import binascii
import email.policy
import functools
import random
import re
import sys
from email.utils import formatdate, make_msgid

from django.conf import settings
from django.core.mail.utils import DNS_NAME

POLICY = email.policy.SMTP
MAX_LINE = 78
# A bare address: the common recipient, written without the email package.
_PLAIN_ADDRESS = re.compile(
    r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?"
)
# Unstructured values that can go out as they are: printable ASCII, no encoded-word lookalikes.
_PLAIN_TEXT = re.compile(r"[\x20-\x7e]*")
ADDRESS_HEADERS = frozenset({"from", "to", "cc", "reply-to", "sender"})
# Headers whose value is one token (a URL or an id in angle brackets): never folded or encoded.
TOKEN_HEADERS = frozenset(
    {"list-unsubscribe", "list-id", "list-unsubscribe-post", "list-help", "message-id"}
)


def _check(name: str, value: str) -> None:
    if "\n" in value or "\r" in value:
        raise ValueError(f"Header values can't contain newlines (got {value!r} for {name})")


@functools.lru_cache(maxsize=4096)
def _folded(name: str, value: str) -> bytes:
    """One header through the email package: parsed, encoded where needed, folded."""
    return POLICY.header_factory(name, value).fold(policy=POLICY).encode("ascii")


def header_line(name: str, value: str) -> bytes:
    """`Name: value` and CRLF, folded and encoded as the email package would where it must."""
    _check(name, value)
    key = name.lower()
    line_length = len(name) + 2 + len(value)
    if key in ADDRESS_HEADERS:
        plain = _PLAIN_ADDRESS.fullmatch(value) is not None and line_length <= MAX_LINE
    elif key in TOKEN_HEADERS:
        # One token in angle brackets: folding has nowhere to break it, and encoding it would
        # hide the address from mail clients. Lines up to SMTP's 998 octets are allowed.
        plain = _PLAIN_TEXT.fullmatch(value) is not None and line_length <= 998
    else:
        plain = (
            _PLAIN_TEXT.fullmatch(value) is not None
            and line_length <= MAX_LINE
            and "=?" not in value
        )
    if plain:
        return f"{name}: {value}\r\n".encode("ascii")
    return _folded(name, value)


def _lines_short(data: bytes) -> bool:
    return all(len(line) <= MAX_LINE for line in data.split(b"\n"))


def body_part(content: str, subtype: str) -> tuple[bytes, bytes]:
    """A text part's headers and body (CRLF line endings), with the SMTP policy's choice of
    transfer encoding, except that a body which would not fit 8bit is quoted-printable (never
    base64)."""
    text = content.replace("\r\n", "\n").replace("\r", "\n")
    if not text.endswith("\n"):
        text += "\n"
    data = text.encode("utf-8")
    if _lines_short(data):
        encoding = "7bit" if data.isascii() else "8bit"
        body = data
    else:
        encoding = "quoted-printable"
        body = binascii.b2a_qp(data, quotetabs=False, istext=True, header=False)
    headers = (
        f'Content-Type: text/{subtype}; charset="utf-8"\r\n'
        f"Content-Transfer-Encoding: {encoding}\r\n"
    ).encode("ascii")
    return headers, body.replace(b"\n", b"\r\n")


def _boundary(parts: list[bytes]) -> str:
    while True:
        boundary = f"==============={random.randrange(sys.maxsize):019d}=="  # noqa: S311
        if not any(boundary.encode("ascii") in part for part in parts):
            return boundary


def message_bytes(
    *,
    subject: str,
    from_email: str,
    to: str,
    body_text: str,
    body_html: str = "",
    reply_to: str = "",
    headers: dict[str, str] | None = None,
) -> bytes:
    """The whole message as SMTP wants it (CRLF line endings), with a Date and a Message-ID
    fixed now. Extra headers may not replace the standard ones (as with Django)."""
    lines = [
        header_line("Subject", subject),
        header_line("From", from_email),
        header_line("To", to),
    ]
    if reply_to:
        lines.append(header_line("Reply-To", reply_to))
    extra = dict(headers or {})
    lines.append(
        header_line(
            "Date", extra.pop("Date", None) or formatdate(localtime=settings.EMAIL_USE_LOCALTIME)
        )
    )
    lines.append(
        header_line("Message-ID", extra.pop("Message-ID", None) or make_msgid(domain=DNS_NAME))
    )
    for name, value in extra.items():
        if name.lower() in {"subject", "from", "to", "reply-to", "content-type", "mime-version"}:
            continue
        lines.append(header_line(name, str(value)))
    text_headers, text_body = body_part(body_text, "plain")
    if not body_html:
        head = b"MIME-Version: 1.0\r\n" + text_headers + b"".join(lines)
        return head + b"\r\n" + text_body
    html_headers, html_body = body_part(body_html, "html")
    boundary = _boundary([text_body, html_body])
    head = (
        b"MIME-Version: 1.0\r\n"
        + f'Content-Type: multipart/alternative; boundary="{boundary}"\r\n'.encode("ascii")
        + b"".join(lines)
    )
    delimiter = f"--{boundary}\r\n".encode("ascii")
    return b"".join(
        [
            head,
            b"\r\n",
            delimiter,
            text_headers,
            b"\r\n",
            text_body,
            # The CRLF before a boundary belongs to the boundary, not to the part.
            b"\r\n",
            delimiter,
            html_headers,
            b"\r\n",
            html_body,
            b"\r\n",
            f"--{boundary}--\r\n".encode("ascii"),
        ]
    )
