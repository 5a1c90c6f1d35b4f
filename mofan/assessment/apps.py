from django.apps import AppConfig


class AssessmentConfig(AppConfig):
    name = "mofan.assessment"
    verbose_name = "考核评价"
