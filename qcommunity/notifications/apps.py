from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "qcommunity.notifications"
    label = "notifications"
    verbose_name = "Notifications"
