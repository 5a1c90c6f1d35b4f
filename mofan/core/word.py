"""Writing Word documents the way organs print them: Chinese fonts set for East Asian text (Word
otherwise falls back to the Latin font), table headers repeated on every page."""

from docx.oxml import OxmlElement
from docx.oxml.ns import qn


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
