"""Helpers of every list view: paging, and the error workbooks an import leaves for its user."""

from django.core.paginator import Paginator


class FirstPageFirst(Paginator):
    """A paginator that reads the first page before counting: it asks for one row more than a
    page, and when they fit on one page their number is the count, without a COUNT(*) (about a
    millisecond of CPU each side for a list of a few rows, often the whole answer of a filter).
    Otherwise it counts as Paginator does and keeps the rows it read. Pages after the first are
    Paginator's own."""

    def get_page(self, number):
        if number in (None, "", "1", 1):
            return self.page(1)
        return super().get_page(number)

    def page(self, number):
        if number not in ("1", 1) or self.orphans or "count" in self.__dict__:
            return super().page(number)
        if isinstance(self.object_list, list | tuple):
            return super().page(number)
        rows = list(self.object_list[: self.per_page + 1])
        if len(rows) <= self.per_page:
            self.__dict__["count"] = len(rows)  # Paginator.count is a cached_property
            return self._get_page(rows, 1, self)
        page = super().page(1)
        page.object_list = rows[: self.per_page]
        return page


def paginate(request, queryset, per_page: int = 50):
    """A page of a queryset; a page number out of range gives the last page, not an error."""
    paginator = FirstPageFirst(queryset, per_page)
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


def refused(request, error, render_again):
    """A refused form of a plain page: the error's Chinese message shown on the page drawn again
    (with what was typed) and the error's 4xx status."""
    from django.contrib import messages

    messages.error(request, error.message)
    response = render_again()
    response.status_code = error.status_code
    return response
