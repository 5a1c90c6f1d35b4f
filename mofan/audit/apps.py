from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "mofan.audit"
    verbose_name = "审计"

    def ready(self):
        from mofan.audit import keys

        keys.register()
