"""Ledger exports in the layouts organs exchange: an Excel 台账 (title row, grouped header, wrapped
text, frozen and repeated header rows, A3 landscape, light colours) and a Word table in 公文 style."""

import tempfile

import xlsxwriter
from django.db.models import OuterRef, Prefetch, Subquery
from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from mofan.core.excel import safe_cell
from mofan.core.word import east_asian, repeat_header
from mofan.ledger.choices import Light
from mofan.ledger.models import ProgressReport
from mofan.orgs.models import Person, Unit

WORD_ROW_LIMIT = 5000
LIGHT_FILL = {Light.RED: "#F8D7DA", Light.YELLOW: "#FFF3CD", Light.GREEN: "#D1E7DD"}
COLUMNS = [
    # (header, group, width)
    ("序号", None, 6),
    ("任务来源", None, 18),
    ("任务内容", None, 40),
    ("牵头单位", "责任分工", 14),
    ("配合单位", "责任分工", 16),
    ("责任人", "责任分工", 10),
    ("完成时限", None, 14),
    ("最新进展", None, 36),
    ("状态", None, 9),
    ("红黄绿灯", None, 9),
]


def _date(value) -> str:
    return f"{value.year}年{value.month}月{value.day}日" if value else ""


def rows(items):
    """One list of cell values per item, in constant memory (chunked iteration with prefetch)."""
    latest = (
        ProgressReport.objects.filter(item=OuterRef("pk"))
        .order_by("-reported_at", "-id")
        .values("text")[:1]
    )
    items = (
        items.annotate(latest_report=Subquery(latest))
        .select_related("source", "lead_unit")
        .prefetch_related(
            Prefetch("co_units", queryset=Unit.objects.order_by("path")),
            Prefetch("owners", queryset=Person.objects.order_by("pk")),
        )
    )
    for item in items.iterator(chunk_size=2000):
        yield (
            [
                item.number,
                str(item.source or ""),
                item.content,
                item.lead_unit.display_name if item.lead_unit else "",
                "、".join(u.display_name for u in item.co_units.all()),
                "、".join(p.name for p in item.owners.all()),
                "长期坚持" if item.ongoing else _date(item.deadline),
                item.latest_report or "",
                item.get_state_display(),
                Light(item.light).label if item.light != Light.NONE else "",
            ],
            item.light,
        )


def xlsx(title: str, items) -> tuple[str, int]:
    handle = tempfile.NamedTemporaryFile(prefix="mofan-ledger-", suffix=".xlsx", delete=False)  # noqa: SIM115
    handle.close()
    book = xlsxwriter.Workbook(handle.name, {"constant_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("台账")
    border = {
        "border": 1,
        "valign": "vcenter",
        "text_wrap": True,
        "font_name": "宋体",
        "font_size": 10.5,
    }
    title_format = book.add_format(
        {
            "bold": True,
            "font_size": 18,
            "align": "center",
            "valign": "vcenter",
            "font_name": "方正小标宋简体",
        }
    )
    head = book.add_format(
        {**border, "bold": True, "align": "center", "bg_color": "#F2F2F2", "font_name": "黑体"}
    )
    cell = book.add_format(border)
    centred = book.add_format({**border, "align": "center"})
    lights = {
        light: book.add_format({**border, "align": "center", "bg_color": colour})
        for light, colour in LIGHT_FILL.items()
    }
    last = len(COLUMNS) - 1
    # constant_memory streams rows in order, so the two header rows are written cell by cell in row
    # order and their merges registered afterwards (XlsxWriter's merge_range would write into row 3
    # before row 2 is finished, which that mode cannot do).
    sheet.merge_range(0, 0, 0, last, title, title_format)
    sheet.set_row(0, 36)
    groups: dict[str, list[int]] = {}
    for col, (header, group, width) in enumerate(COLUMNS):
        sheet.set_column(col, col, width)
        if group is None:
            sheet.write_string(1, col, header, head)
        else:
            groups.setdefault(group, []).append(col)
            if col == groups[group][0]:
                sheet.write_string(1, col, group, head)
            else:
                sheet.write_blank(1, col, None, head)
    for col, (header, group, _) in enumerate(COLUMNS):
        if group:
            sheet.write_string(2, col, header, head)
        else:
            sheet.write_blank(2, col, None, head)
    merges = [(1, col, 2, col) for col, (_, group, _) in enumerate(COLUMNS) if group is None]
    merges += [(1, cols[0], 1, cols[-1]) for cols in groups.values()]
    sheet.merge.extend([list(m) for m in merges])
    sheet.freeze_panes(3, 0)
    sheet.repeat_rows(1, 2)
    sheet.set_landscape()
    sheet.set_paper(8)  # A3
    sheet.fit_to_pages(1, 0)
    sheet.set_margins(left=0.4, right=0.4, top=0.6, bottom=0.6)
    sheet.set_footer("&C第 &P 页，共 &N 页")
    count = 0
    for count, (values, light) in enumerate(rows(items), start=1):
        row = count + 2
        for col, value in enumerate(values):
            fmt = (
                lights.get(light, centred)
                if col == last
                else (centred if col in (0, 6, 8) else cell)
            )
            sheet.write_string(row, col, str(safe_cell(value)), fmt)
    book.close()
    return handle.name, count


def docx(title: str, items) -> str:
    """A landscape A4 Word document: 小标宋 title, 仿宋 table with the header repeated on every page."""
    document = Document()
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(2.0))
    section.top_margin, section.bottom_margin = Cm(2.5), Cm(2.0)
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.font.size = Pt(22)
    east_asian(run, "方正小标宋简体")
    headers = [c[0] for c in COLUMNS]
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    repeat_header(table.rows[0])
    for cell, text in zip(table.rows[0].cells, headers, strict=True):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        run = paragraph.add_run(text)
        run.font.size, run.font.bold = Pt(10.5), True
        east_asian(run, "黑体")
    for count, (values, _light) in enumerate(rows(items), start=1):
        if count > WORD_ROW_LIMIT:
            break
        for cell, value in zip(table.add_row().cells, values, strict=True):
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(10.5)
            east_asian(run, "仿宋_GB2312")
    handle = tempfile.NamedTemporaryFile(prefix="mofan-ledger-", suffix=".docx", delete=False)  # noqa: SIM115
    handle.close()
    document.save(handle.name)
    return handle.name
