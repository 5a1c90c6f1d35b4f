from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "mofan.meetings"
    verbose_name = "组织生活"
