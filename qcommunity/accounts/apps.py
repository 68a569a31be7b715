from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qcommunity.accounts"
    label = "accounts"
    verbose_name = "Accounts and roles"

    def ready(self) -> None:
        from . import signals

        signals.connect()
        from allauth.account.signals import user_logged_in

        from .sign_ins import on_user_logged_in

        user_logged_in.connect(on_user_logged_in, dispatch_uid="qcommunity.accounts.sign_ins")
