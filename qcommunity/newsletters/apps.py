from django.apps import AppConfig


class NewslettersConfig(AppConfig):
    name = "qcommunity.newsletters"
    label = "newsletters"
    verbose_name = "Newsletters"
