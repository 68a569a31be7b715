from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "qcommunity.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        # Registers the outbox listeners that keep deliveries in step with their outbox rows.
        from . import sending  # noqa: F401
