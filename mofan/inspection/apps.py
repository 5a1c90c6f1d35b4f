from django.apps import AppConfig


class InspectionConfig(AppConfig):
    name = "mofan.inspection"
    verbose_name = "巡视巡察"
