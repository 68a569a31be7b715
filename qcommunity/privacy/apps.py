from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class PrivacyConfig(AppConfig):
    name = "qcommunity.privacy"
    label = "privacy"
    verbose_name = "Your data"

    def ready(self) -> None:
        # Each app says what personal data it holds in its own `personal_data.py`.
        autodiscover_modules("personal_data")
