from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qcommunity.core"
    label = "core"
    verbose_name = "Site"
