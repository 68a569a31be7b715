"""The outbox's own message builder against Django's: parsed back with the email package, both
give the same headers and the same parts, for every shape of message the outbox sends."""

import email.policy
from email import message_from_bytes

import pytest
from django.core.mail import EmailMultiAlternatives

from qcommunity.outbox.mime import header_line, message_bytes

UNSUBSCRIBE = (
    "<https://q-community.example/newsletter/unsubscribe/"
    "eyJzIjoxMjM0NTYsIm4iOjd9:1vLmQx:abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG/>"
)
LIST_HEADERS = {
    "List-Id": "<community.newsletters.q-community.example>",
    "List-Unsubscribe": UNSUBSCRIBE,
    "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
}

CASES = {
    "plain ascii, text only": {
        "subject": "Your sign-in code",
        "from_email": "no-reply@q-community.example",
        "to": "ann@example.org",
        "body_text": "Hello Ann,\n\nYour code is 123456.\n",
    },
    "newsletter with both parts": {
        "subject": "Q Community newsletter: November",
        "from_email": "Q Community <no-reply@q-community.example>",
        "to": "reader-000123@example.org",
        "body_text": "Hello Ann,\n\nA short line.\n" + "word " * 40 + "\n",
        "body_html": "<p>Hello Ann \u2013 \u201cquoted\u201d and café</p>\n" + "<p>x</p>" * 30,
        "headers": LIST_HEADERS,
    },
    "non-ascii and long subject": {
        "subject": "Q\u2019s news: a long subject line that goes on past the limit of a line",
        "from_email": "Zoë\u2019s team <zoe@q-community.example>",
        "to": "bjørn@example.org",
        "body_text": "Línea con acentos\n",
        "body_html": "<p>ok</p>",
    },
    "sender needing quotes, reply-to": {
        "subject": "Re: your message",
        "from_email": "Smith, Jo (Q) <jo@q-community.example>",
        "to": "Ann Example <ann@example.org>",
        "reply_to": "replies+42@q-community.example",
        "body_text": "Hi\r\nwith CRLF\r\nand a bare CR\rend",
    },
    "awkward bodies": {
        "subject": "=?utf-8?q?looks_encoded?= but is not",
        "from_email": "no-reply@q-community.example",
        "to": "ann@example.org",
        "body_text": "trailing space \n\ttab\n.leading dot\nFrom the start\n" + "y" * 300,
        "body_html": "<pre>  </pre>\n" + "é" * 200 + "\n===============1234==\n",
    },
    "empty bodies": {
        "subject": "",
        "from_email": "no-reply@q-community.example",
        "to": "ann@example.org",
        "body_text": "",
    },
}


def django_bytes(case: dict) -> bytes:
    message = EmailMultiAlternatives(
        subject=case["subject"],
        body=case["body_text"],
        from_email=case["from_email"],
        to=[case["to"]],
        reply_to=[case["reply_to"]] if case.get("reply_to") else None,
        headers=case.get("headers"),
    )
    if case.get("body_html"):
        message.attach_alternative(case["body_html"], "text/html")
    return message.message(policy=email.policy.SMTP).as_bytes()


def parsed(data: bytes) -> dict:
    message = message_from_bytes(data, policy=email.policy.default)
    headers = {
        name.lower(): str(value)
        for name, value in message.items()
        if name.lower() not in {"date", "message-id", "content-type", "mime-version"}
    }
    parts = list(message.iter_parts()) if message.is_multipart() else [message]
    return {
        "headers": headers,
        "content_type": message.get_content_type(),
        "has_date": bool(message["Date"]),
        "has_message_id": bool(message["Message-ID"]),
        "parts": [
            (
                part.get_content_type(),
                part.get_content_charset(),
                part.get_content().replace("\r\n", "\n").replace("\r", "\n").rstrip("\n"),
            )
            for part in parts
        ],
    }


@pytest.mark.parametrize("name", list(CASES))
def test_message_bytes_parses_to_what_djangos_builder_gives(name):
    case = CASES[name]
    ours = message_bytes(**case)
    assert parsed(ours) == parsed(django_bytes(case))
    assert b"\n" not in ours.replace(b"\r\n", b"")  # CRLF line endings only
    assert max(len(line) for line in ours.split(b"\r\n")) <= 998


def test_message_bytes_keeps_the_unsubscribe_address_readable():
    # The email package would RFC 2047-encode a long List-Unsubscribe; mail clients then do not
    # find the address. Ours is the URL in angle brackets, as RFC 2369 and 8058 want.
    ours = message_bytes(
        subject="News", from_email="a@q.example", to="b@example.org", body_text="x",
        headers=LIST_HEADERS,
    )  # fmt: skip
    assert f"List-Unsubscribe: {UNSUBSCRIBE}\r\n".encode() in ours
    assert b"=?utf-8?" not in ours


def test_message_bytes_refuses_a_newline_in_a_header():
    with pytest.raises(ValueError, match="newlines"):
        message_bytes(
            subject="Hi\r\nBcc: victim@example.org", from_email="a@q.example",
            to="b@example.org", body_text="x",
        )  # fmt: skip
    with pytest.raises(ValueError, match="newlines"):
        header_line("List-Id", "<a>\nX-Evil: 1")


def test_message_bytes_gives_each_message_its_own_id_and_boundary():
    case = CASES["newsletter with both parts"]
    first = message_from_bytes(message_bytes(**case), policy=email.policy.default)
    second = message_from_bytes(message_bytes(**case), policy=email.policy.default)
    assert first["Message-ID"] != second["Message-ID"]
    assert first.get_boundary() != second.get_boundary()
