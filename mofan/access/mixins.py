"""View mixins of the access layer."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404

from mofan.access.scoping import scope_for


class RoleRequiredMixin(LoginRequiredMixin):
    """Pages of one role (the admin consoles, the group robots): anyone else finds nothing."""

    role: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not scope_for(request.user).has_role(self.role):
            raise Http404("未找到该记录。")
        return super().dispatch(request, *args, **kwargs)
