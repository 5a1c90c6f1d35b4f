from django.apps import AppConfig


class AccessConfig(AppConfig):
    name = "mofan.access"
    verbose_name = "账户与权限"

    def ready(self):
        from mofan.access import keys, signals  # noqa: F401  (signals: logins into the audit trail)

        keys.register()
