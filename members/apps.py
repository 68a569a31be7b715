from django.apps import AppConfig


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = "Members and selection"

    def ready(self) -> None:
        from qcommunity.audit.describe import register_value_labels
        from qcommunity.core.taxonomy import Region
        from qcommunity.newsletters.issues.audience import Audience, audience_provide

        from . import signals
        from .directory.selectors import members_matching_segment
        from .joining.enums import Phase

        signals.connect()
        audience_provide(Audience(members_matching=members_matching_segment))
        register_value_labels(["region", "regions"], dict(Region.choices))
        register_value_labels(["phase"], dict(Phase.choices))
