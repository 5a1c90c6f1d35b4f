"""Writing Excel files the way organs exchange them: streamed to disk, formula injection neutralised."""

import tempfile
from collections.abc import Collection, Iterable, Sequence
from datetime import date

import xlsxwriter

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """A cell value that a spreadsheet will never run as a formula (CSV/formula injection)."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def write_table(
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence],
    *,
    widths: Sequence[int] = (),
    money_columns: Collection[int] = (),
    watermark: str = "",
) -> tuple[str, int]:
    """Write a titled table to a temporary xlsx file in constant memory; returns (path, row count).
    Numbers in `money_columns` show two decimal places (yuan and fen). A `watermark` (who
    exported it, when) stands in grey under the title and at the head of every printed page."""
    handle = tempfile.NamedTemporaryFile(prefix="mofan-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    workbook = xlsxwriter.Workbook(
        handle.name, {"constant_memory": True, "strings_to_formulas": False}
    )
    sheet = workbook.add_worksheet(title[:31])
    title_format = workbook.add_format(
        {"bold": True, "font_size": 16, "align": "center", "valign": "vcenter"}
    )
    header_format = workbook.add_format(
        {
            "bold": True,
            "border": 1,
            "align": "center",
            "valign": "vcenter",
            "bg_color": "#F2F2F2",
            "text_wrap": True,
        }
    )
    cell_format = workbook.add_format({"border": 1, "valign": "vcenter", "text_wrap": True})
    money_format = workbook.add_format({"border": 1, "valign": "vcenter", "num_format": "0.00"})
    # A date is written as a date (sortable and filterable in Excel), shown as 2026-11-24.
    date_format = workbook.add_format(
        {"border": 1, "valign": "vcenter", "num_format": "yyyy-mm-dd", "align": "left"}
    )
    sheet.merge_range(0, 0, 0, len(headers) - 1, title, title_format)
    sheet.set_row(0, 30)
    first = 1
    if watermark:
        mark_format = workbook.add_format(
            {"font_color": "#999999", "italic": True, "align": "right"}
        )
        sheet.merge_range(1, 0, 1, len(headers) - 1, watermark, mark_format)
        sheet.set_header("&C&9&K999999" + watermark.replace("&", "&&"))
        first = 2
    for col, header in enumerate(headers):
        sheet.write_string(first, col, header, header_format)
        sheet.set_column(col, col, widths[col] if col < len(widths) else 14)
    sheet.freeze_panes(first + 1, 0)
    sheet.repeat_rows(first)
    sheet.set_landscape()
    sheet.set_paper(9)  # A4
    sheet.fit_to_pages(1, 0)
    count = 0
    for count, row in enumerate(rows, start=1):
        for col, value in enumerate(row):
            value = safe_cell(value)
            if value is None or value == "":
                sheet.write_blank(count + first, col, None, cell_format)
            elif isinstance(value, str):
                sheet.write_string(count + first, col, value, cell_format)
            elif isinstance(value, date):
                sheet.write_datetime(count + first, col, value, date_format)
            else:
                fmt = money_format if col in money_columns else cell_format
                sheet.write(count + first, col, value, fmt)
    workbook.close()
    return handle.name, count
