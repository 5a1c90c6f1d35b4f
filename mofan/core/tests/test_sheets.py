"""Imports read a workbook lazily: the zip guard before anything expands, rows streamed and the
reading stopped as soon as the row limit is passed, no row wider than the columns an import uses."""

import io
import tracemalloc

import openpyxl
import pytest

from mofan.core import sheets
from mofan.core.errors import InvalidInput
from mofan.core.tests import samples


def _count_rows(monkeypatch) -> list[int]:
    read = [0]
    original = sheets.sheet_rows

    def counting(sheet):
        for row in original(sheet):
            read[0] += 1
            yield row

    monkeypatch.setattr(sheets, "sheet_rows", counting)
    return read


def test_a_50000_row_file_is_refused_after_the_limit_plus_one_data_row(monkeypatch):
    read = _count_rows(monkeypatch)
    with pytest.raises(sheets.TooManyRows, match="一次最多导入 20000 行") as refused:
        sheets.read_first_sheet(io.BytesIO(samples.many_rows_xlsx(50_000)), max_rows=20_000)
    # The header zone (where a header may sit) and then 20,001 data rows; not one row more.
    assert read[0] == refused.value.rows_read == sheets.HEADER_ZONE + 20_001


def test_a_file_within_the_limit_is_read_whole(monkeypatch):
    read = _count_rows(monkeypatch)
    found = sheets.read_first_sheet(io.BytesIO(samples.many_rows_xlsx(300)), max_rows=300)
    assert read[0] == len(found.rows) == 301
    assert found.rows[0] == ["序号", "任务内容", "牵头单位", "完成时限"]
    assert found.rows[-1] == [300, "第300项重点工作任务", "办公厅", "2026年6月底前"]


def test_a_zip_bomb_is_refused_before_openpyxl_opens_it(monkeypatch):
    def never(*args, **kwargs):
        raise AssertionError("openpyxl was called on a zip bomb")

    monkeypatch.setattr(sheets.openpyxl, "load_workbook", never)
    bomb = samples.xlsx_bomb()
    assert len(bomb) < 400 * 1024  # about 300 KB on disk for 200 MB expanded
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput, match="压缩炸弹"):
            sheets.read_first_sheet(io.BytesIO(bomb), max_rows=20_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 2 * 1024 * 1024


def test_a_cell_in_the_last_column_does_not_widen_every_row():
    book = openpyxl.Workbook()
    book.active.append(["姓名", "公民身份号码"])
    for row in range(2, 200):
        book.active.cell(row=row, column=1, value=f"人员{row}")
        book.active.cell(row=row, column=16384, value="x")
    buffer = io.BytesIO()
    book.save(buffer)
    found = sheets.read_first_sheet(buffer, max_rows=1000)
    assert len(found.rows) == 199
    assert {len(row) for row in found.rows} == {2}  # column XFD is past MAX_COLUMNS: not read


def test_merged_cells_are_found_and_filled():
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["序号", "任务", "牵头单位"])
    for row in range(3):
        sheet.append([row + 1, f"任务{row}", "办公厅" if row == 0 else None])
    sheet.merge_cells("C2:C4")
    buffer = io.BytesIO()
    book.save(buffer)
    found = sheets.read_first_sheet(buffer, max_rows=100, merged=True)
    assert found.merged == [(3, 2, 3, 4)]
    found.fill_merged()
    assert [row[2] for row in found.rows[1:]] == ["办公厅"] * 3


def test_a_damaged_workbook_is_refused_in_chinese():
    with pytest.raises(InvalidInput, match="已损坏|无法读取"):
        sheets.read_first_sheet(io.BytesIO(b"PK\x03\x04 damaged"), max_rows=10)
    with pytest.raises(InvalidInput, match="无法读取"):
        sheets.read_first_sheet(io.BytesIO(samples.zip_file()), max_rows=10)


def test_a_sheet_that_lies_about_its_size_is_read_no_further_than_declared():
    lying = samples.lying_xlsx(expanded_mb=5, declared=50_000)
    tracemalloc.start()
    try:
        with pytest.raises(InvalidInput, match="无法读取"):
            sheets.read_first_sheet(io.BytesIO(lying), max_rows=20_000)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 3 * 1024 * 1024  # 5 MB of rows never arrive: zipfile stops at 50 KB
