"""The base of every view over organisational data: reads go through the scoping layer, and an
object outside the user's scope is a 404 with the same page as a missing one."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.http import Http404


class ScopedMixin(LoginRequiredMixin):
    model = None
    action = "view"

    def scoped_queryset(self, action: str | None = None):
        return self.model.objects.restrict(self.request.user, action or self.action)

    def allows(self, obj, action: str) -> bool:
        """Whether the scoping layer lets the user take this action on the object."""
        return type(obj).objects.restrict(self.request.user, action).filter(pk=obj.pk).exists()

    def get_scoped_object(self, pk, action: str | None = None, queryset=None):
        queryset = queryset if queryset is not None else self.scoped_queryset(action)
        try:
            return queryset.get(pk=pk)
        except (self.model.DoesNotExist, ValueError, TypeError) as exc:
            raise Http404("未找到该记录。") from exc


def paginate(request, queryset, per_page: int = 50):
    """A page of a queryset; a page number out of range gives the last page, not an error."""
    paginator = Paginator(queryset, per_page)
    return paginator.get_page(request.GET.get("page"))


def import_errors_response(request, name: str):
    """An error workbook an import wrote for this user: only their own folder, only names we write."""
    import re
    from pathlib import Path

    from django.conf import settings
    from django.http import FileResponse, Http404

    path = Path(settings.VAR_DIR) / "imports" / str(request.user.pk) / name
    if not re.fullmatch(r"errors-\w+\.xlsx", name) or not path.is_file():
        raise Http404("未找到该记录。")
    return FileResponse(open(path, "rb"), as_attachment=True, filename="导入错误标注.xlsx")  # noqa: SIM115
