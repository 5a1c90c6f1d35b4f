"""Small real files of each kind an upload may be, and the crafted ones that must be refused:
made here, in memory, so no test depends on a file fetched from elsewhere."""

import functools
import io
import struct
import zipfile

import docx
import openpyxl
import xlsxwriter
from PIL import Image

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"
HTML = b"<!DOCTYPE html><html><body><script>alert(document.cookie)</script></body></html>"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 48 + b"PE\x00\x00"
CFB = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504


def png(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def jpeg(size=(40, 30)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (30, 30, 200)).save(buffer, "JPEG")
    return buffer.getvalue()


def docx_file(text: str = "关于加强机关党建的通知") -> bytes:
    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def xlsx_file(rows=(("序号", "任务内容"), (1, "完善制度"))) -> bytes:
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def zip_file() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("说明.txt", "材料清单")
    return buffer.getvalue()


@functools.cache
def xlsx_bomb(expanded_mb: int = 200) -> bytes:
    """A real workbook (openpyxl opens it) whose one sheet expands to `expanded_mb` MB of rows:
    about 200 KB on disk for 200 MB, as the probe's file was."""
    real = zipfile.ZipFile(io.BytesIO(xlsx_file()))
    buffer = io.BytesIO()
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 4000 + b"</t></is></c></row>"
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in real.infolist():
            if entry.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entry.filename, real.read(entry.filename))
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            sheet.write(
                b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
                b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
            )
            for _ in range(expanded_mb * 1024 * 1024 // len(row)):
                sheet.write(row)
            sheet.write(b"</sheetData></worksheet>")
    return buffer.getvalue()


@functools.cache
def many_rows_xlsx(rows: int = 50_000) -> bytes:
    """A plain ledger-shaped workbook with a header and `rows` data rows (about 1 MB for 50,000)."""
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    sheet.write_row(0, 0, ["序号", "任务内容", "牵头单位", "完成时限"])
    for row in range(1, rows + 1):
        sheet.write_row(row, 0, [row, f"第{row}项重点工作任务", "办公厅", "2026年6月底前"])
    book.close()
    return buffer.getvalue()


def lying_xlsx(expanded_mb: int = 5, declared: int = 50_000) -> bytes:
    """A workbook whose sheet really expands to `expanded_mb` MB while its zip headers declare
    `declared` bytes: the guard passes it, and the reader must stop at what was declared."""
    real = zipfile.ZipFile(io.BytesIO(xlsx_file()))
    row = b'<row><c t="inlineStr"><is><t>' + b"A" * 4000 + b"</t></is></c></row>"
    body = (
        b'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns='
        b'"http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
        + row * (expanded_mb * 1024 * 1024 // len(row))
        + b"</sheetData></worksheet>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for entry in real.infolist():
            if entry.filename != "xl/worksheets/sheet1.xml":
                archive.writestr(entry.filename, real.read(entry.filename))
        archive.writestr("xl/worksheets/sheet1.xml", body)
    data = bytearray(buffer.getvalue())
    name = b"xl/worksheets/sheet1.xml"
    # The uncompressed size sits 22 bytes into a local header and 24 into a central one.
    for signature, size_at, name_at in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = data.find(signature)
        while at >= 0:
            if data[at + name_at : at + name_at + len(name)] == name:
                struct.pack_into("<I", data, at + size_at, declared)
            at = data.find(signature, at + 4)
    return bytes(data)
