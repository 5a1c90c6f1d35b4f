"""Writing Word documents the way organs print them: Chinese fonts set for East Asian text (Word
otherwise falls back to the Latin font), table headers repeated on every page."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt, RGBColor

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"
# A4 with the 版心 of the standard: 156 × 225 mm (margins 37 top, 35 bottom, 28 left, 26 right);
# 22 lines of 28 characters of 三号 (16 pt) — the line pitch is 225 mm ÷ 22 = 28.95 pt.
LINE_PITCH = Pt(28.95)


def east_asian(run, font: str) -> None:
    run.font.name = font
    properties = run._element.get_or_add_rPr()
    fonts = properties.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        properties.append(fonts)
    fonts.set(qn("w:eastAsia"), font)


def repeat_header(row) -> None:
    properties = row._tr.get_or_add_trPr()
    header = OxmlElement("w:tblHeader")
    header.set(qn("w:val"), "true")
    properties.append(header)


def paragraph(document, text, *, font=BODY_FONT, size=16, align=None, indent=True, bold=False):
    """A paragraph of an official document (GB/T 9704): 仿宋 三号 by default, two characters of
    first-line indent, the line pitch of 22 lines a page."""
    added = document.add_paragraph()
    if align is not None:
        added.alignment = align
    if indent:
        added.paragraph_format.first_line_indent = Pt(size * 2)
    added.paragraph_format.line_spacing = LINE_PITCH
    run = added.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    east_asian(run, font)
    return added


# -- an official document (公文, GB/T 9704) ------------------------------------------------------

# What a machine without the official fonts shows instead (Word reads w:altName in the font
# table): the system's 仿宋 and 宋体.
FALLBACKS = {BODY_FONT: "仿宋", TITLE_FONT: "宋体", "黑体": "SimHei"}


def official_document():
    from docx import Document
    from docx.shared import Cm

    document = Document()
    section = document.sections[0]
    section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    section.top_margin, section.bottom_margin = Cm(3.7), Cm(3.5)
    section.left_margin, section.right_margin = Cm(2.8), Cm(2.6)
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "lines")
    grid.set(qn("w:linePitch"), str(int(LINE_PITCH.pt * 20)))
    _page_numbers(section)
    _font_fallbacks(document)
    return document


def _page_numbers(section) -> None:
    """ "— 1 —" at the foot of each page, 四号 (14 pt) 宋体, from Word's PAGE field."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER

    def add(text=None, field=None):
        run = footer.add_run(text or "")
        run.font.size = Pt(14)
        east_asian(run, "宋体")
        if field is not None:
            for kind in ("begin", None, "end"):
                if kind is None:
                    code = OxmlElement("w:instrText")
                    code.set(qn("xml:space"), "preserve")
                    code.text = field
                    run._r.append(code)
                else:
                    mark = OxmlElement("w:fldChar")
                    mark.set(qn("w:fldCharType"), kind)
                    run._r.append(mark)

    add("— ")
    add(field="PAGE")
    add(" —")


def _font_fallbacks(document) -> None:
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from lxml import etree

    part = document.part.part_related_by(RT.FONT_TABLE)
    table = etree.fromstring(part.blob)
    for font, alternative in FALLBACKS.items():
        entry = etree.SubElement(table, qn("w:font"))
        entry.set(qn("w:name"), font)
        alt = etree.SubElement(entry, qn("w:altName"))
        alt.set(qn("w:val"), alternative)
        charset = etree.SubElement(entry, qn("w:charset"))
        charset.set(qn("w:val"), "86")  # GB2312
    part._blob = etree.tostring(table, xml_declaration=True, encoding="UTF-8", standalone=True)


def title(document, text: str):
    """The title: 二号 (22 pt) 小标宋, centred."""
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    return paragraph(document, text, font=TITLE_FONT, size=22, align=WD_ALIGN_PARAGRAPH.CENTER,
                     indent=False)  # fmt: skip


def heading(document, text: str):
    """A first-level heading ("一、…"): 三号 黑体."""
    return paragraph(document, text, font="黑体")


def table(document, headers: list[str], rows: list[list], *, size: float = 10.5):
    """A bordered table, its header row repeated on each page: 五号 黑体 head, 仿宋 body."""
    from docx.enum.table import WD_TABLE_ALIGNMENT

    grid = document.add_table(rows=1, cols=len(headers))
    grid.style = "Table Grid"
    grid.alignment = WD_TABLE_ALIGNMENT.CENTER
    repeat_header(grid.rows[0])
    for cell, text in zip(grid.rows[0].cells, headers, strict=True):
        run = cell.paragraphs[0].add_run(text)
        run.font.size, run.font.bold = Pt(size), True
        east_asian(run, "黑体")
    for values in rows:
        for cell, value in zip(grid.add_row().cells, values, strict=True):
            run = cell.paragraphs[0].add_run(str(value))
            run.font.size = Pt(size)
            east_asian(run, BODY_FONT)
    return grid


def save_temporary(document, prefix: str) -> str:
    import tempfile

    handle = tempfile.NamedTemporaryFile(prefix=prefix, suffix=".docx", delete=False)  # noqa: SIM115
    handle.close()
    document.save(handle.name)
    return handle.name


def download(path: str, filename: str):
    """A generated document as an attachment; the temporary file is unlinked once open (the
    response reads it through the open handle)."""
    import os

    from django.http import FileResponse

    handle = open(path, "rb")  # noqa: SIM115 — closed by the response
    os.unlink(path)
    return FileResponse(handle, as_attachment=True, filename=filename)


_VML = "urn:schemas-microsoft-com:vml"
_OFFICE = "urn:schemas-microsoft-com:office:office"


def watermark(document, text: str) -> None:
    """A visible watermark on every page: `text` (the viewer's name and the time) drawn large,
    grey and diagonal behind the text, and written again in small grey type at the head of each
    page for a reader that does not draw shapes. python-docx has no watermark; this is the VML
    text shape Word itself writes for 水印 (Design → Watermark), built with lxml."""
    from lxml import etree

    header = document.sections[0].header
    line = header.paragraphs[0]
    run = line.add_run(text)
    run.font.size = Pt(9)
    run.font.color.rgb = RGBColor(0x99, 0x99, 0x99)
    east_asian(run, "宋体")
    picture = etree.SubElement(line.add_run()._r, qn("w:pict"))
    # The shape type of WordArt text (o:spt 136): the path and formulas Word writes for it.
    kind = etree.SubElement(picture, f"{{{_VML}}}shapetype", nsmap={"v": _VML, "o": _OFFICE})
    for name, value in (("id", "_x0000_t136"), ("coordsize", "21600,21600"),
                        (f"{{{_OFFICE}}}spt", "136"), ("adj", "10800"),
                        ("path", "m@7,l@8,m@5,21600l@6,21600e")):  # fmt: skip
        kind.set(name, value)
    formulas = etree.SubElement(kind, f"{{{_VML}}}formulas")
    for eqn in ("sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2",
                "sum 21600 0 @3", "if @0 @3 0", "if @0 21600 @1", "if @0 0 @2",
                "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
                "sum @6 0 @5"):  # fmt: skip
        etree.SubElement(formulas, f"{{{_VML}}}f").set("eqn", eqn)
    kind_path = etree.SubElement(kind, f"{{{_VML}}}path")
    kind_path.set("textpathok", "t")
    kind_path.set(f"{{{_OFFICE}}}connecttype", "custom")
    kind_text = etree.SubElement(kind, f"{{{_VML}}}textpath")
    kind_text.set("on", "t")
    kind_text.set("fitshape", "t")
    shape = etree.SubElement(picture, f"{{{_VML}}}shape", nsmap={"v": _VML, "o": _OFFICE})
    shape.set(f"{{{_OFFICE}}}spid", "_x0000_s2049")
    shape.set("id", "MofanWatermark")
    shape.set("type", "#_x0000_t136")
    shape.set(
        "style",
        "position:absolute;margin-left:0;margin-top:0;width:460pt;height:56pt;rotation:315;"
        "z-index:-251654144;mso-position-horizontal:center;mso-position-horizontal-relative:margin;"
        "mso-position-vertical:center;mso-position-vertical-relative:margin",
    )
    shape.set("fillcolor", "#c8c8c8")
    shape.set("stroked", "f")
    shape.set(f"{{{_OFFICE}}}allowincell", "f")
    etree.SubElement(shape, f"{{{_VML}}}fill").set("opacity", ".45")
    path = etree.SubElement(shape, f"{{{_VML}}}textpath")
    path.set("style", 'font-family:"宋体";font-size:1pt')
    path.set("string", text)
    path.set("on", "t")
    path.set("fitshape", "t")


def viewer_mark(user) -> str:
    """The watermark of an export: who took it and when (to the minute), and that it is not to
    be passed on."""
    from django.utils import timezone

    now = timezone.localtime()
    name = getattr(user, "display_name", "") or user.get_username()
    return f"{name}（{user.get_username()}） {now:%Y年%-m月%-d日 %H:%M} 导出 · 内部资料 注意保密"
