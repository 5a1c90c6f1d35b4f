from django.apps import AppConfig


class LedgerConfig(AppConfig):
    name = "mofan.ledger"
    verbose_name = "督办台账"
