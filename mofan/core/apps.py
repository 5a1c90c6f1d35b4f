from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "mofan.core"
    verbose_name = "基础"
