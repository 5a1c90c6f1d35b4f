"""Login, logout, failed login and lockout into the audit trail. These events start inside Django
and django-axes, so their signals are the one place to catch them; the recording itself is
mofan.access.services."""

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from mofan.access import services


@receiver(user_logged_in)
def _logged_in(sender, request, user, **kwargs):
    if request is not None and hasattr(request, "session"):
        services.start_session_clock(request.session)
    services.record_login(user)


@receiver(user_logged_out)
def _logged_out(sender, request, user, **kwargs):
    if user is not None:
        services.record_logout(user)


@receiver(user_login_failed)
def _login_failed(sender, credentials, request=None, **kwargs):
    services.record_login_failed((credentials or {}).get("username", ""))


@receiver(user_locked_out)
def _locked_out(sender, request, username=None, ip_address=None, **kwargs):
    services.record_lockout(username or "")
