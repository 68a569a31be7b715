from django.apps import AppConfig


class OutboxConfig(AppConfig):
    name = "qcommunity.outbox"
    label = "outbox"
    verbose_name = "Email outbox"
