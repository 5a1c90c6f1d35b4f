"""Test documents built in code: a .docx with Word's automatic numbering (the numbers live in
numbering.xml, not in the text), an OFD package, a zip bomb."""

import io
import zipfile

import docx
from docx.oxml import parse_xml

from mofan.docparse import numbering

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


_UNITS = ["办公厅", "机关党委", "人事司", "财务司", "机关纪委", "政策法规司", "机关服务中心"]
_TASKS = [
    "建立健全{t}工作机制，明确责任分工，形成工作合力",
    "开展{t}专项检查，对发现的问题逐项建立台账、限期整改",
    "完善{t}制度规定，修订相关实施细则并组织宣传解读",
    "推进{t}标准化规范化建设，每季度至少通报1次进展情况",
    "组织{t}专题培训，覆盖全体党员干部，全年学时不少于32学时",
]
_TOPICS = ["理论学习", "支部建设", "作风建设", "廉政教育", "督查督办", "调查研究", "意识形态"]
_DEADLINES = ["2026年6月底前", "三季度末前", "年内", "长期坚持", "9月30日前", "每月25日前"]


def large_document(pages: int) -> list[str]:
    """Paragraphs of a work plan about `pages` A4 pages long (about 850 characters a page): numbered
    sections and tasks running on across sections, annotations, 一是/二是 clauses and prose."""
    paragraphs = ["关于印发《2026年机关党建重点任务分解方案》的通知", "各司局、各直属单位："]
    paragraphs.append("现将《2026年机关党建重点任务分解方案》印发给你们，请结合实际认真贯彻落实。")
    number, section, size = 0, 0, 0
    while size < pages * 850:
        section += 1
        topic = _TOPICS[section % len(_TOPICS)]
        paragraphs.append(
            f"{numbering.chinese(section)}、全面加强{topic}，推动模范机关建设走深走实"
        )
        paragraphs.append(
            f"{topic}是机关党建的重要内容。过去一年，各单位认真落实部署，工作取得新进展。"
        )
        for sub in range(1, 4):
            paragraphs.append(f"（{numbering.chinese(sub)}）扎实做好{topic}第{sub}方面工作")
            for _ in range(4):
                number += 1
                task = _TASKS[number % len(_TASKS)].format(t=topic)
                lead, co = _UNITS[number % 7], _UNITS[(number + 3) % 7]
                deadline = _DEADLINES[number % len(_DEADLINES)]
                paragraphs.append(
                    f"{number}．{task}。（牵头单位：{lead}；配合单位：{co}；完成时限：{deadline}）"
                )
            paragraphs.append(
                f"各单位要一是压实{topic}责任，主要负责同志亲自抓；二是细化{topic}措施，"
                f"确保按期完成；三是加强{topic}督促检查，及时通报进展情况。"
            )
        paragraphs.append(
            f"要压实{topic}责任。各党支部要对照任务清单逐项推进，{_UNITS[section % 7]}要加强统筹协调，"
            f"每月通报一次进展情况。要强化结果运用。把{topic}落实情况纳入年度考核。"
        )
        size = sum(len(p) for p in paragraphs)
    return paragraphs + ["某某部机关党委", "2026年1月15日"]


def cell_table(rows: int) -> list[str]:
    """A project table as a web page stores it when flattened: its head row once, one cell a
    line, then each row's number on a line of its own and its cells — a date with no Chinese
    among them, which is no body line."""
    paragraphs = ["2026年民生实事项目清单", "现将项目清单印发给你们，请精心组织实施。"]
    paragraphs += ["序号", "项目名称", "建设地点", "建设内容", "完成时限", "责任单位"]
    for row in range(1, rows + 1):
        paragraphs += [
            str(row),
            f"{_TOPICS[row % 7]}阵地建设项目{row}",
            "城关街道",
            f"新建{_TOPICS[row % 7]}活动室{row % 9 + 1}处。",
            f"2026.{row % 12 + 1:02d}",
            _UNITS[row % 7],
        ]
    return paragraphs


def large_docx(pages: int) -> bytes:
    """`large_document(pages)` as Word would store it, the numbers typed into the text."""
    document = docx.Document()
    for paragraph in large_document(pages):
        document.add_paragraph(paragraph)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
