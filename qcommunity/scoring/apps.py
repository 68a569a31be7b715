from django.apps import AppConfig


class ScoringConfig(AppConfig):
    name = "qcommunity.scoring"
    label = "scoring"
    verbose_name = "Panel scoring"
