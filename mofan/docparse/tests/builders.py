"""Test documents built in code: a .docx with Word's automatic numbering (the numbers live in
numbering.xml, not in the text), an OFD package, a zip bomb."""

import io
import zipfile

import docx
from docx.oxml import parse_xml

W = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'

# Level 0: 一、  level 1: （一）  level 2: 1.  — as GB/T 9704 documents number their headings.
NUMBERING = f"""
<w:abstractNum {W} w:abstractNumId="90">
  <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl>
  <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>
  <w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%3."/></w:lvl>
</w:abstractNum>
"""


def numbered_docx(
    paragraphs: list[tuple[int | None, str]], table: list[list[str]] | None = None
) -> bytes:
    """A .docx whose paragraphs (level, text) are numbered by Word (level None: not numbered)."""
    document = docx.Document()
    numbering = document.part.numbering_part.element
    numbering.insert(0, parse_xml(NUMBERING))
    numbering.append(parse_xml(f'<w:num {W} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))
    for level, text in paragraphs:
        paragraph = document.add_paragraph(text)
        if level is not None:
            properties = paragraph._p.get_or_add_pPr()
            properties.append(
                parse_xml(f'<w:numPr {W}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>')
            )
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for r, row in enumerate(table):
            for c, value in enumerate(row):
                grid.cell(r, c).text = value
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def ofd(pages: list[list[str]]) -> bytes:
    """An OFD package (GB/T 33190) with one TextObject per line, 5 mm apart."""
    ns = 'xmlns:ofd="http://www.ofdspec.org/2016"'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "OFD.xml",
            f'<ofd:OFD {ns} Version="1.0" DocType="OFD"><ofd:DocBody><ofd:DocInfo>'
            f"<ofd:DocID>test</ofd:DocID></ofd:DocInfo><ofd:DocRoot>Doc_0/Document.xml</ofd:DocRoot>"
            f"</ofd:DocBody></ofd:OFD>",
        )
        page_list = "".join(
            f'<ofd:Page ID="{i + 10}" BaseLoc="Pages/Page_{i}/Content.xml"/>'
            for i in range(len(pages))
        )
        archive.writestr(
            "Doc_0/Document.xml",
            f"<ofd:Document {ns}><ofd:CommonData><ofd:MaxUnitID>999</ofd:MaxUnitID>"
            f"<ofd:PageArea><ofd:PhysicalBox>0 0 210 297</ofd:PhysicalBox></ofd:PageArea>"
            f"</ofd:CommonData><ofd:Pages>{page_list}</ofd:Pages></ofd:Document>",
        )
        for i, lines in enumerate(pages):
            objects = "".join(
                f'<ofd:TextObject ID="{100 + n}" Boundary="20 {30 + 5 * n} 170 5" Font="1" Size="4">'
                f'<ofd:TextCode X="0" Y="4">{line}</ofd:TextCode></ofd:TextObject>'
                for n, line in enumerate(lines)
            )
            archive.writestr(
                f"Doc_0/Pages/Page_{i}/Content.xml",
                f'<ofd:Page {ns}><ofd:Content><ofd:Layer ID="1">{objects}</ofd:Layer>'
                f"</ofd:Content></ofd:Page>",
            )
    return buffer.getvalue()


def zip_bomb(expanded_mb: int = 250) -> bytes:
    """A small .docx-looking archive that would expand to `expanded_mb` MB."""
    buffer = io.BytesIO()
    chunk = b"\0" * (1024 * 1024)
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
        with archive.open("word/media/filler.bin", "w", force_zip64=True) as filler:
            for _ in range(expanded_mb):
                filler.write(chunk)
    return buffer.getvalue()


def many_entries(count: int = 6000) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        for index in range(count):
            archive.writestr(f"word/media/{index}.txt", "")
    return buffer.getvalue()
