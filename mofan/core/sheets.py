"""The first sheet of an uploaded .xlsx, read the way an import can afford: through the zip guard
first, then row by row with openpyxl's read-only reader, stopping as soon as the row limit is
passed — a 50,000-row file is refused after about limit + 1 rows, never parsed whole."""

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import openpyxl
from defusedxml import ElementTree
from openpyxl.utils.cell import range_boundaries

from mofan.core.errors import InvalidInput
from mofan.core.uploads import open_office_zip

# Columns past this are not read: no import has more, and a crafted cell in column XFD would
# otherwise widen every row to 16,384 cells.
MAX_COLUMNS = 64
# A header may sit in the first 20 rows and take two; every non-empty row after these is data.
HEADER_ZONE = 22
EXCEL_ROWS = 1_048_576
MAX_MERGED = 10_000
UNREADABLE = "无法读取该文件，请上传 Excel 文件（.xlsx），可先下载导入模板。"


def cell_text(value) -> str:
    """A cell as the text a person typed: whole numbers without ".0", no surrounding spaces."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


class TooManyRows(InvalidInput):
    def __init__(self, message: str, rows_read: int):
        super().__init__(message)
        self.rows_read = rows_read


@dataclass
class SheetRows:
    rows: list[list]  # every row down to the last non-empty one, each as wide as the widest
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # 1-based bounds

    def fill_merged(self) -> None:
        """Each merged range's value copied into every cell it covers, as the eye reads it."""
        width = len(self.rows[0]) if self.rows else 0
        for min_col, min_row, max_col, max_row in self.merged:
            if min_row > len(self.rows) or min_col > width:
                continue
            value = self.rows[min_row - 1][min_col - 1]
            for r in range(min_row - 1, min(max_row, len(self.rows))):
                for c in range(min_col - 1, min(max_col, width)):
                    self.rows[r][c] = value


def read_first_sheet(source, *, max_rows: int, merged: bool = False) -> SheetRows:
    """`source` is a path or an open binary file. InvalidInput in Chinese for a file that is not a
    readable workbook, one the zip guard refuses, or one with more than `max_rows` data rows."""
    if isinstance(source, str | Path):
        with open(source, "rb") as handle:
            return read_first_sheet(handle, max_rows=max_rows, merged=merged)
    source.seek(0)
    package = open_office_zip(source)  # raises before openpyxl expands anything
    try:
        book = openpyxl.load_workbook(source, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds for a bad file
        raise InvalidInput(UNREADABLE) from error
    try:
        if not book.worksheets:
            raise InvalidInput(UNREADABLE)
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # the stored dimension is a claim, not a fact
        rows = _read_rows(sheet, max_rows)
        found = SheetRows(rows)
        if merged and rows:
            # A read-only sheet does not report merged cells; they follow the rows in its part,
            # whose name openpyxl keeps on the sheet.
            found.merged = _merged_ranges(package, sheet._worksheet_path)
    except InvalidInput:
        raise
    except Exception as error:  # damaged XML inside a well-formed package
        raise InvalidInput(UNREADABLE) from error
    finally:
        book.close()
    return found


def sheet_rows(sheet):
    """The sheet's rows as openpyxl streams them (values only, at most MAX_COLUMNS wide)."""
    return sheet.iter_rows(max_col=MAX_COLUMNS, values_only=True)


def _read_rows(sheet, max_rows: int) -> list[list]:
    rows: list[tuple] = []
    last, width, data = 0, 0, 0
    for index, row in enumerate(sheet_rows(sheet)):
        if index >= EXCEL_ROWS:
            raise InvalidInput("文件已损坏（行号超出 Excel 的范围），无法读取。")
        rows.append(row)
        used = next((i + 1 for i in range(len(row) - 1, -1, -1) if _filled(row[i])), 0)
        if not used:
            continue
        last, width = index + 1, max(width, used)
        if index >= HEADER_ZONE:
            data += 1
            if data > max_rows:
                raise TooManyRows(f"一次最多导入 {max_rows} 行，请拆分后导入。", len(rows))
    return [list(row[:width]) for row in rows[:last]]


def _filled(value) -> bool:
    return value is not None and (not isinstance(value, str) or value.strip() != "")


def _merged_ranges(package: zipfile.ZipFile, part: str) -> list[tuple[int, int, int, int]]:
    ranges = []
    with package.open(part.lstrip("/")) as stream:
        for _, element in ElementTree.iterparse(stream, events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "row":
                element.clear()
            elif tag == "mergeCell" and element.get("ref"):
                if len(ranges) >= MAX_MERGED:
                    raise InvalidInput("文件中合并单元格过多，请取消合并后再导入。")
                bounds = range_boundaries(element.get("ref"))
                if None not in bounds:
                    ranges.append(bounds)
    return ranges
