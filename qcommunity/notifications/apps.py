from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class NotificationsConfig(AppConfig):
    name = "qcommunity.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # Each app declares the kinds it sends in its own notifications.py.
        autodiscover_modules("notifications")
