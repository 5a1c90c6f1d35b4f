"""Helpers of every list view: paging, and the error workbooks an import leaves for its user."""

from django.core.paginator import Paginator


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
