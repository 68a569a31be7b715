from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "exchange"
    verbose_name = "Q Exchange"

    def ready(self) -> None:
        from . import signals

        signals.connect()
