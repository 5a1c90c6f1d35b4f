from django.apps import AppConfig


class DashboardConfig(AppConfig):
    """The pages that sum up several apps: the home page of each role and the page shell's
    navigation. The top floor: it reads every app below it, none reads it."""

    name = "mofan.dashboard"
    verbose_name = "首页"
