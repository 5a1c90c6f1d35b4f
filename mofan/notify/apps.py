from django.apps import AppConfig


class NotifyConfig(AppConfig):
    name = "mofan.notify"
    verbose_name = "通知"

    def ready(self):
        from axes.signals import user_locked_out

        # A lockout starts inside django-axes: its signal is the one place to hear it.
        user_locked_out.connect(_alarm_lockout, dispatch_uid="mofan.notify.lockout_alarm")


def _alarm_lockout(sender, request, username=None, ip_address=None, **kwargs):
    from mofan.notify import alarms

    alarms.account_locked(username or "", ip_address or "")
