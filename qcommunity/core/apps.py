from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class CoreConfig(AppConfig):
    name = "qcommunity.core"
    label = "core"
    verbose_name = "Site"

    def ready(self) -> None:
        # Each app says what waits for a person on the home page in its own `home.py`, and what
        # waits for staff on the staff home in its own `attention.py`.
        autodiscover_modules("home")
        autodiscover_modules("attention")
