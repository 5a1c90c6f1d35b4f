from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mofan.audit"
    verbose_name = "审计"
