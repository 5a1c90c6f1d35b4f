"""A document file in, its paragraphs out: .docx (with Word's automatic numbering written back in
front of each paragraph), .pdf with a text layer, .txt, HTML, OFD, and .doc/.wps through
LibreOffice. Every way a file can be unreadable ends in a DocumentError with a Chinese message.
Plain Python."""

import io
import re
import shutil
import subprocess  # nosec B404
import tempfile
import zipfile
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path, PurePosixPath

from mofan.docparse import numbering, text
from mofan.docparse import pdf as pdf_layout
from mofan.docparse.archive import DEFAULT_LIMITS, ZipLimits, open_zip
from mofan.docparse.errors import DocumentError

MAX_BYTES = text.MAX_BYTES  # the size of the file as uploaded
MAX_PAGES = 2000
CONVERT_SECONDS = 120


@dataclass
class Document:
    paragraphs: list[str]
    format: str  # docx, pdf, txt, html, ofd, doc


def read(data: bytes, name: str = "", *, limits: ZipLimits = DEFAULT_LIMITS) -> Document:
    """The paragraphs of a file, whatever its kind; `name` only helps to tell HTML from text.
    `limits` bound what a zip-based file (.docx, .ofd) may expand to."""
    if len(data) > MAX_BYTES:
        raise DocumentError(f"文件超过 {MAX_BYTES // 1024 // 1024} MB，请拆分后再分解。")
    if not data.strip():
        raise DocumentError("文件是空的。")
    suffix = PurePosixPath(name.lower()).suffix
    if data.startswith(b"%PDF"):
        return Document(read_pdf(data), "pdf")
    if data.startswith(b"PK\x03\x04"):
        archive = open_zip(io.BytesIO(data), limits)
        names = set(archive.namelist())
        if "word/document.xml" in names:
            return Document(read_docx(data, limits=limits), "docx")
        if "OFD.xml" in names or "ofd.xml" in names:
            return Document(read_ofd(archive), "ofd")
        raise DocumentError("不支持这种压缩文件，请上传 .docx、.pdf、.ofd 或 .txt 文件。")
    if data.startswith(b"\xd0\xcf\x11\xe0"):
        if "EncryptedPackage".encode("utf-16-le") in data:
            raise DocumentError("文件已加密（设有打开密码），请去除密码后再上传。")
        # The compound-file header's byte-order mark and sector size (MS-CFB 2.2): two fixed
        # fields are all it takes to tell a damaged file from one, so no OLE library for it.
        if data[28:30] != b"\xfe\xff" or data[30:32] not in (b"\x09\x00", b"\x0c\x00"):
            raise DocumentError("文件已损坏，无法打开。")
        return Document(read_legacy(data, suffix or ".doc"), "doc")
    if data.startswith(b"{\\rtf"):
        return Document(read_legacy(data, ".rtf"), "doc")
    decoded = text.decode(data)
    head = decoded[:2000].lstrip().lower()
    if suffix in (".html", ".htm", ".xhtml") or head.startswith(("<!doctype html", "<html")):
        return Document(read_html(decoded), "html")
    return Document(text.lines(decoded), "txt")


# -- Word ------------------------------------------------------------------------------------

_TASK_COLUMNS = {
    "number": re.compile(r"^(?:序号|编号|序)$"),
    "task": re.compile(r"(?:任务|工作内容|工作措施|具体措施|整改措施|主要内容|事项|内容)"),
    "lead": re.compile(r"(?:牵头|责任单位|责任部门|主责|承办)"),
    "co": re.compile(r"(?:配合|协办|参与)"),
    "deadline": re.compile(r"(?:时限|完成时间|时间节点|时间要求)"),
    "owner": re.compile(r"(?:责任人|责任领导|分管领导)"),
}
_LABELS = {"lead": "牵头单位", "co": "配合单位", "deadline": "完成时限", "owner": "责任领导"}


def read_docx(data: bytes, *, limits: ZipLimits = DEFAULT_LIMITS) -> list[str]:
    import docx  # python-docx; imported here so that reading text needs no lxml
    from docx.opc.exceptions import PackageNotFoundError

    open_zip(io.BytesIO(data), limits)
    try:
        document = docx.Document(io.BytesIO(data))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as error:
        raise DocumentError("Word 文件已损坏，无法打开。") from error
    except Exception as error:  # lxml's XMLSyntaxError and the like: a damaged package
        raise DocumentError("Word 文件已损坏，无法打开。") from error
    counter = numbering.Counter.for_document(document)
    paragraphs: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            paragraph = docx.text.paragraph.Paragraph(child, document)
            line = paragraph.text.strip()
            label = counter.label(paragraph)
            if line:
                paragraphs.append(f"{label}{line}" if label else line)
        elif tag == "tbl":
            paragraphs += _table_lines(docx.table.Table(child, document))
    if not paragraphs:
        raise DocumentError("文件中没有文字内容。")
    return paragraphs


def _rows(table) -> list[list[str]]:
    rows = []
    for row in table.rows:
        cells, seen = [], set()
        for cell in row.cells:
            if id(cell._tc) in seen:
                continue  # a merged cell is returned once per grid column it spans
            seen.add(id(cell._tc))
            cells.append(re.sub(r"\s*\n\s*", "；", cell.text.strip()))
        rows.append(cells)
    return rows


def _table_lines(table) -> list[str]:
    """A task table (序号 | 任务 | 牵头单位 | 配合单位 | 完成时限) becomes one numbered line per
    row with its units and deadline as an annotation; any other table one line per row."""
    rows = _rows(table)
    if not rows:
        return []
    columns: dict[str, int] = {}
    for index, heading in enumerate(rows[0]):
        for role, pattern in _TASK_COLUMNS.items():
            if role not in columns and pattern.search(heading):
                columns[role] = index
                break
    if "task" not in columns:
        return ["　".join(cell for cell in row if cell) for row in rows if any(row)]
    lines = []
    for position, row in enumerate(rows[1:], start=1):

        def cell(role: str, row=row) -> str:
            index = columns.get(role)
            return row[index].strip() if index is not None and index < len(row) else ""

        task = cell("task")
        if not task:
            continue
        number = cell("number") or str(position)
        notes = "；".join(f"{label}：{cell(role)}" for role, label in _LABELS.items() if cell(role))
        task = task if task.endswith(("。", "；")) else task + "。"
        lines.append(f"{number.rstrip('.．、')}．{task}" + (f"（{notes}）" if notes else ""))
    return lines


# -- PDF -------------------------------------------------------------------------------------

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－·•\s]*\d{1,4}[-—–－·•\s]*|第\s*\d+\s*页(?:\s*[，,/]?\s*共\s*\d+\s*页)?|"
    r"\d{1,4}\s*/\s*\d{1,4}|page\s*\d+(?:\s*of\s*\d+)?)$",
    re.IGNORECASE,
)


def read_pdf(data: bytes) -> list[str]:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as error:
        if "password" in str(error).lower():
            raise DocumentError("PDF 文件已加密（设有打开密码），请去除密码后再上传。") from error
        raise DocumentError("PDF 文件已损坏，无法打开。") from error
    try:
        if len(pdf) > MAX_PAGES:
            raise DocumentError(f"PDF 超过 {MAX_PAGES} 页，请拆分后再分解。")
        pages = []
        for index in range(len(pdf)):
            page = pdf[index]
            textpage = page.get_textpage()
            pages.append(pdf_layout.page_lines(textpage))
            textpage.close()
            page.close()
    finally:
        pdf.close()
    characters = sum(len(line.text) for page in pages for line in page)
    if not pages or characters < 20 * len(pages):
        raise DocumentError(
            "这个 PDF 没有文字层（可能是扫描件），需要先进行文字识别（OCR）再上传。"
        )
    return pdf_layout.paragraphs(strip_running_lines(pages, key=lambda line: line.text))


def strip_running_lines(pages: list[list], key=lambda line: line) -> list[list]:
    """Page headers, footers and page numbers off every page: a line at the top or bottom two of a
    page that is a page number, or that repeats (digits aside) on at least half the pages. `key`
    gives a line's text when the lines are more than strings."""

    def shape(line) -> str:
        return re.sub(r"\d+", "#", key(line).replace(" ", ""))

    def running(line) -> bool:
        return bool(_PAGE_NUMBER.match(key(line).strip())) or shape(line) in repeated

    edges: dict[str, int] = {}
    for page in pages:
        for line in {shape(line) for line in page[:2] + page[-2:]}:
            edges[line] = edges.get(line, 0) + 1
    repeated = {
        line for line, count in edges.items() if len(pages) >= 3 and count >= len(pages) / 2
    }
    cleaned = []
    for page in pages:
        lines = list(page)
        for _ in range(2):
            if lines and running(lines[0]):
                lines.pop(0)
            if lines and running(lines[-1]):
                lines.pop()
        cleaned.append(lines)
    return cleaned


def join_lines(pages: list[list[str]]) -> list[str]:
    """Lines of print back into paragraphs, across line and page breaks: a line runs on into the
    next unless it falls short of the full measure (a paragraph's last line, a title) or the next
    line opens with a heading number."""
    from mofan.docparse.outline import match_heading

    lines = [line for page in pages for line in page]
    lengths = sorted(len(line) for line in lines)
    measure = lengths[int(len(lengths) * 0.8)] if lengths else 0
    paragraphs: list[str] = []
    current = ""
    for line in lines:
        if current and match_heading(line):
            paragraphs.append(current)
            current = ""
        current += line
        if len(line) < measure * 0.85:
            paragraphs.append(current)
            current = ""
    if current:
        paragraphs.append(current)
    return paragraphs


# -- HTML ------------------------------------------------------------------------------------

_BLOCKS = {
    "p",
    "div",
    "li",
    "tr",
    "br",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "section",
    "article",
    "blockquote",
    "pre",
    "table",
    "ul",
    "ol",
    "dd",
    "dt",
    "title",
    "header",
    "footer",
}
_SKIPPED = {"script", "style", "head", "noscript", "template", "svg"}


class _HTMLText(HTMLParser):
    """Text of an HTML page with one line per block element (the standard library parser is enough
    for that; no script runs and nothing is fetched)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in _SKIPPED:
            self.skipping += 1
        elif tag in _BLOCKS:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append("　")

    def handle_endtag(self, tag):
        if tag in _SKIPPED:
            self.skipping = max(0, self.skipping - 1)
        elif tag in _BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skipping:
            self.parts.append(re.sub(r"[ \t\r\n]+", " ", data))


def read_html(markup: str) -> list[str]:
    parser = _HTMLText()
    parser.feed(markup)
    parser.close()
    lines = text.lines("".join(parser.parts))
    if not lines:
        raise DocumentError("网页中没有文字内容。")
    return lines


# -- OFD -------------------------------------------------------------------------------------

_OFD_NS = re.compile(r"^\{[^}]*\}")


def _local(tag: str) -> str:
    return _OFD_NS.sub("", tag)


def read_ofd(archive: zipfile.ZipFile) -> list[str]:
    """OFD (GB/T 33190): OFD.xml names each document's Document.xml, which lists its pages; each
    page's Content.xml holds TextObjects with TextCode runs placed at X/Y. Read directly with the
    standard zip module and defusedxml: the OFD packages on PyPI pull in image and PDF stacks for
    rendering, which reading text does not need."""
    from defusedxml import ElementTree

    def load(path: str):
        try:
            return ElementTree.fromstring(archive.read(path))
        except KeyError as error:
            raise DocumentError("OFD 文件不完整，缺少文档内容。") from error
        except Exception as error:  # malformed XML or a refused entity expansion
            raise DocumentError("OFD 文件已损坏，无法读取。") from error

    root_name = "OFD.xml" if "OFD.xml" in archive.namelist() else "ofd.xml"
    root = load(root_name)
    documents = [el.text.strip() for el in root.iter() if _local(el.tag) == "DocRoot" and el.text]
    if not documents:
        raise DocumentError("OFD 文件不完整，缺少文档内容。")
    pages_text: list[list[str]] = []
    for document_path in documents:
        document_path = document_path.lstrip("/")
        base = PurePosixPath(document_path).parent
        document = load(document_path)
        for page in (el for el in document.iter() if _local(el.tag) == "Page"):
            location = (page.get("BaseLoc") or "").lstrip("/")
            path = location if location.startswith(str(base)) else str(base / location)
            pages_text.append(_ofd_page_lines(load(path)))
    characters = sum(len(line) for page in pages_text for line in page)
    if characters == 0:
        raise DocumentError(
            "这个 OFD 没有文字内容（可能是扫描件），需要先进行文字识别（OCR）再上传。"
        )
    return join_lines(strip_running_lines(pages_text))


def _ofd_page_lines(content) -> list[str]:
    runs: list[tuple[float, float, str]] = []
    for obj in (el for el in content.iter() if _local(el.tag) == "TextObject"):
        box = [float(v) for v in (obj.get("Boundary") or "0 0 0 0").split()[:4]]
        for code in (el for el in obj if _local(el.tag) == "TextCode"):
            x = box[0] + float(code.get("X") or 0)
            y = box[1] + float(code.get("Y") or 0)
            if code.text:
                runs.append((round(y, 1), x, code.text))
    lines: list[str] = []
    last_y = None
    for y, _x, value in sorted(runs):
        if last_y is not None and abs(y - last_y) < 1.0:
            lines[-1] += value
        else:
            lines.append(value)
        last_y = y
    return [line.strip() for line in lines if line.strip()]


# -- .doc / .wps through LibreOffice ---------------------------------------------------------


def office_command() -> str | None:
    return shutil.which("soffice") or shutil.which("libreoffice")


def read_legacy(data: bytes, suffix: str) -> list[str]:
    """.doc, .wps and .rtf: converted to .docx by LibreOffice headless, then read as Word."""
    command = office_command()
    if command is None:
        raise DocumentError(
            "服务器未安装 LibreOffice，无法读取 .doc/.wps 文件。请在 Word 或 WPS 中另存为 .docx 后再上传。"
        )
    suffix = suffix if suffix in (".doc", ".wps", ".rtf", ".wpt", ".dot") else ".doc"
    with tempfile.TemporaryDirectory(prefix="mofan-convert-") as folder:
        source = Path(folder) / f"source{suffix}"
        source.write_bytes(data)
        try:
            subprocess.run(  # noqa: S603 - fixed argument list, no shell  # nosec B603
                [
                    command,
                    f"-env:UserInstallation=file://{folder}/profile",
                    "--headless",
                    "--norestore",
                    "--convert-to",
                    "docx:MS Word 2007 XML",
                    "--outdir",
                    folder,
                    str(source),
                ],
                capture_output=True,
                timeout=CONVERT_SECONDS,
                check=False,
            )
        except subprocess.TimeoutExpired as error:
            raise DocumentError("文件转换超时，请另存为 .docx 后再上传。") from error
        converted = Path(folder) / "source.docx"
        if not converted.exists():
            raise DocumentError(
                "文件已损坏或已加密，LibreOffice 无法打开。请另存为 .docx 后再上传。"
            )
        paragraphs = read_docx(converted.read_bytes())
        if "\ufffd" in "".join(paragraphs)[:2000]:
            raise DocumentError("文件已损坏，LibreOffice 无法正确读取。请另存为 .docx 后再上传。")
        return paragraphs
