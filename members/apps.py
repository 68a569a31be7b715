from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members and selection"

    def ready(self) -> None:
        from qcommunity.audit.describe import register_value_labels
        from qcommunity.core.taxonomy import Region

        from . import signals
        from .enums_joining import Phase

        signals.connect()
        register_value_labels(["region", "regions"], dict(Region.choices))
        register_value_labels(["phase"], dict(Phase.choices))
