from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "mofan.notify"
    verbose_name = "通知"
