"""Writing Word documents the way organs print them: Chinese fonts set for East Asian text (Word
otherwise falls back to the Latin font), table headers repeated on every page."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Pt

BODY_FONT = "仿宋_GB2312"
TITLE_FONT = "方正小标宋简体"


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
    first-line indent, 28-point line spacing."""
    added = document.add_paragraph()
    if align is not None:
        added.alignment = align
    if indent:
        added.paragraph_format.first_line_indent = Pt(size * 2)
    added.paragraph_format.line_spacing = Pt(28)
    run = added.add_run(text)
    run.font.size, run.font.bold = Pt(size), bold
    east_asian(run, font)
    return added
