"""Base viewsets: every API read goes through the scoping layer, like the pages."""

from rest_framework import viewsets


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    model = None

    def get_queryset(self):
        return self.model.objects.restrict(self.request.user, "view")
