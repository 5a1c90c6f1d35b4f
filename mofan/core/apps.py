from django.apps import AppConfig
from django.db.models.signals import post_migrate


class CoreConfig(AppConfig):
    name = "mofan.core"
    verbose_name = "基础"

    def ready(self):
        from mofan.core import checks  # noqa: F401  (registers the key check)

        post_migrate.connect(_store_key_check_values, sender=self)


def _store_key_check_values(**kwargs):
    # A database created now belongs to the keys it was created with.
    from mofan.core import keys

    keys.verify_at_start()
