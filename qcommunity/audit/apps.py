from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "qcommunity.audit"
    label = "audit"
    verbose_name = "Audit log"
