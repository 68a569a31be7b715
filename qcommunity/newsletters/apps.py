from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "qcommunity.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"

    def ready(self) -> None:
        from anymail.signals import tracking

        from .sending.webhooks import handle_tracking_event

        tracking.connect(handle_tracking_event, dispatch_uid="newsletters.tracking")
        # Registers the outbox listeners that keep deliveries in step with their outbox rows.
        from .sending import services  # noqa: F401
