"""The base of every view over organisational data: reads go through the scoping layer, and an
object outside the user's scope is a 404 with the same page as a missing one."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ImproperlyConfigured
from django.http import Http404
from rest_framework import serializers, viewsets

from mofan.access.scoping import Action, has_role


class ScopedMixin(LoginRequiredMixin):
    model = None
    action: Action = Action.VIEW

    def scoped_queryset(self, action: Action | None = None):
        return self.model.objects.restrict(self.request.user, action or self.action)

    def allows(self, obj, action: Action) -> bool:
        """Whether the scoping layer lets the user take this action on the object."""
        return type(obj).objects.restrict(self.request.user, action).filter(pk=obj.pk).exists()

    def get_scoped_object(self, pk, action: Action | None = None, queryset=None):
        queryset = queryset if queryset is not None else self.scoped_queryset(action)
        try:
            return queryset.get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404("未找到该记录。") from exc


class RoleRequiredMixin(LoginRequiredMixin):
    """Pages of one role (the admin consoles, the group robots): anyone else finds nothing."""

    role: str = ""

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and not has_role(request.user, self.role):
            raise Http404("未找到该记录。")
        return super().dispatch(request, *args, **kwargs)


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """Every API read goes through the scoping layer, like the pages."""

    model = None
    # Not `action`: DRF names the viewset's current action (list, retrieve) so.
    scope_action: Action = Action.VIEW

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, self.scope_action)


class _ScopedChoices:
    """A related field of a serializer whose choices are what the requesting user may choose:
    an id outside them is refused exactly like one that does not exist."""

    def __init__(self, *, model, scope_action: Action, narrow=None, **kwargs):
        self.model, self.scope_action, self.narrow = model, scope_action, narrow
        kwargs.setdefault("queryset", model.objects.none())  # replaced per request below
        super().__init__(**kwargs)

    def get_queryset(self):
        request = self.context.get("request")
        if request is None:
            # Without the request every id would be refused as missing: a bug, said at once.
            raise ImproperlyConfigured(
                f"{type(self.parent).__name__}.{self.field_name}: pass context=self.get_serializer_context()"
            )
        queryset = self.model.objects.restrict(request.user, self.scope_action)
        return self.narrow(queryset) if self.narrow else queryset


class ScopedPrimaryKeyRelatedField(_ScopedChoices, serializers.PrimaryKeyRelatedField):
    pass


class ScopedSlugRelatedField(_ScopedChoices, serializers.SlugRelatedField):
    pass
