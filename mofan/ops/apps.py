from django.apps import AppConfig


class OpsConfig(AppConfig):
    name = "mofan.ops"
    verbose_name = "运维"
