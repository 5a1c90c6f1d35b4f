from django.apps import AppConfig


class HousekeepingConfig(AppConfig):
    name = "mofan.housekeeping"
    verbose_name = "系统维护"
