from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members and selection"

    def ready(self) -> None:
        from . import signals

        signals.connect()
