"""Login lockout by who tries from where (django-axes, with a limit for each way of counting).

axes counts failures for each entry of AXES_LOCKOUT_PARAMETERS but holds them all to one limit;
here each entry has its own (settings.LOCKOUT_LIMITS, in the same order), and a successful login
forgives only the failures of that name from that address."""

from axes.handlers.database import AxesDatabaseHandler
from axes.models import AccessAttempt
from django.conf import settings
from django.db.models import Sum


class LockoutHandler(AxesDatabaseHandler):
    def get_failures(self, request, credentials=None) -> int:
        counts = [
            attempts.aggregate(n=Sum("failures_since_start"))["n"] or 0
            for attempts in self.get_user_attempts(request, credentials)
        ]
        if any(
            count >= limit for count, limit in zip(counts, settings.LOCKOUT_LIMITS, strict=True)
        ):
            return settings.AXES_FAILURE_LIMIT  # locked: axes compares with this
        return counts[0]  # failures of this name from this address, the count the user is told

    def user_logged_in(self, sender, request, user, **kwargs):
        super().user_logged_in(sender, request, user, **kwargs)
        # Not every failure of the address or of the name (AXES_RESET_ON_SUCCESS): an attacker
        # would sign in to an account of their own to clear their count of other names.
        AccessAttempt.objects.filter(
            username=user.get_username(), ip_address=request.axes_ip_address
        ).delete()
