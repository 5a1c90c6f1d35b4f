from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "mofan.dues"
    verbose_name = "党费"
