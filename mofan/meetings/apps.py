from django.apps import AppConfig
from django.db.models.signals import post_migrate


class MeetingsConfig(AppConfig):
    name = "mofan.meetings"
    verbose_name = "组织生活"

    def ready(self):
        from mofan.meetings import kept
        from mofan.orgs.signals import party_org_changed

        party_org_changed.connect(kept.on_party_org_changed, dispatch_uid="meetings-kept")
        post_migrate.connect(kept.fill_after_migrate, sender=self, dispatch_uid="meetings-fill")
