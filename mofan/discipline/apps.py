from django.apps import AppConfig


class DisciplineConfig(AppConfig):
    name = "mofan.discipline"
    verbose_name = "监督执纪"
