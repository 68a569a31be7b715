from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qcommunity.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import signals

        signals.connect()
