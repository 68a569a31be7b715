import factory

from qcommunity.outbox.models import OutboxEmail


class OutboxEmailFactory(factory.django.DjangoModelFactory):
    """A queued outbox row, written directly: unlike `email_queue`, no send is scheduled, so tests
    that drive the claim and send steps themselves (or need many rows) control every step."""

    class Meta:
        model = OutboxEmail

    kind = "test.notice"
    recipient = factory.Sequence(lambda n: f"recipient{n}@example.org")
    from_email = "Q Community <no-reply@q-community.example>"
    subject = factory.Sequence(lambda n: f"Notice {n}")
    body_text = "Hello.\n"
    body_html = "<p>Hello.</p>"
