from django.apps import AppConfig


class ConsoleConfig(AppConfig):
    """The pages of the three separated admin roles (三权分立): accounts, roles, the audit trail.
    Above the apps whose data they administer; none of them shows business data."""

    name = "mofan.console"
    verbose_name = "管理控制台"
