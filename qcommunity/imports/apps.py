from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class ImportsConfig(AppConfig):
    name = "qcommunity.imports"
    label = "imports"
    verbose_name = "Imports"

    def ready(self) -> None:
        # Each app declares its import kinds in its own `imports` module, as admin.py does.
        autodiscover_modules("imports")
