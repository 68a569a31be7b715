from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


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
        # The kinds of role each app gives meaning to (qcommunity.accounts.roles).
        autodiscover_modules("roles")
