from django.apps import AppConfig


class DemoConfig(AppConfig):
    """`mofan seed-demo`: the demo data of every app in one command, so it sits above them all."""

    name = "mofan.demo"
    verbose_name = "演示数据"
