from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class RemindersConfig(AppConfig):
    name = "qcommunity.reminders"
    label = "reminders"
    verbose_name = "Reminders"

    def ready(self) -> None:
        # Each app registers its reminder kinds in its own `reminders.py`, as admin.py does.
        autodiscover_modules("reminders")
