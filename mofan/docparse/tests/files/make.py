"""Makes the binary test fixtures in this folder; run by hand when they need remaking:

    .venv/bin/python mofan/docparse/tests/files/make.py

Needs Debian's chromium (for the PDFs, through Playwright), qpdf (encrypted PDF) and LibreOffice
(the .doc). The fixtures are committed, so the tests themselves need none of these.
"""

import html
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

HERE = Path(__file__).parent
DOCUMENTS = HERE.parent.parent / "corpus"
sys.path.insert(0, str(HERE.parents[3]))

from mofan.docparse.tests.builders import numbered_docx  # noqa: E402

STYLE = """
@page { size: A4; margin: 37mm 26mm 35mm 28mm; }
body { font-family: 'Noto Serif CJK SC', serif; font-size: 16pt; line-height: 28pt; }
p { margin: 0; text-indent: 2em; text-align: justify; }
h1 { font-size: 22pt; text-align: center; font-weight: normal; }
"""


def pdf(page, paragraphs: list[str], target: Path, header: str | None) -> None:
    title, *body = paragraphs
    markup = f"<style>{STYLE}</style><h1>{html.escape(title)}</h1>" + "".join(
        f"<p>{html.escape(p)}</p>" for p in body
    )
    page.set_content(markup)
    options = {"path": str(target), "format": "A4", "prefer_css_page_size": True}
    if header:
        options |= {
            "display_header_footer": True,
            "header_template": f'<div style="font-size:10pt;width:100%;text-align:center">{header}</div>',
            "footer_template": '<div style="font-size:12pt;width:100%;text-align:center">'
            '- <span class="pageNumber"></span> -</div>',
        }
    page.pdf(**options)


def main() -> None:
    long_text = (DOCUMENTS / "suite_work_points.txt").read_text(encoding="utf-8").splitlines()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox"]
        )
        page = browser.new_page()
        pdf(page, long_text, HERE / "work_points.pdf", header="某某部机关党委文件")
        page.set_content(
            "<svg width='600' height='800'><rect x='50' y='50' width='500' height='40'/>"
            "<rect x='50' y='120' width='480' height='20'/></svg>"
        )
        page.pdf(path=str(HERE / "scanned.pdf"), format="A4")
        browser.close()
    subprocess.run(
        [
            shutil.which("qpdf") or "/usr/bin/qpdf",
            "--encrypt",
            "secret",
            "owner",
            "256",
            "--",
            str(HERE / "work_points.pdf"),
            str(HERE / "encrypted.pdf"),
        ],
        check=True,
    )
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "sample.docx"
        source.write_bytes(
            numbered_docx(
                [
                    (None, "关于加强机关作风建设的通知"),
                    (0, "主要任务"),
                    (1, "改进文风会风"),
                    (2, "严控发文数量，全年压减10%。（牵头单位：办公厅）"),
                    (2, "提高会议质量，2026年6月底前修订会议管理办法。"),
                ]
            )
        )
        office = shutil.which("soffice") or shutil.which("libreoffice")
        subprocess.run(
            [
                office,
                "--headless",
                "--convert-to",
                "doc:MS Word 97",
                "--outdir",
                folder,
                str(source),
            ],
            check=True,
            capture_output=True,
        )
        shutil.copy(Path(folder) / "sample.doc", HERE / "sample.doc")
        # A PDF as Word-like office suites export it: quotation marks drawn out of order, spaces
        # around digits in the text layer.
        exported = Path(folder) / "exported.docx"
        exported.write_bytes(numbered_docx(WORD_EXPORT))
        subprocess.run(
            [office, "--headless", "--convert-to", "pdf", "--outdir", folder, str(exported)],
            check=True,
            capture_output=True,
        )
        shutil.copy(Path(folder) / "exported.pdf", HERE / "word_export.pdf")


WORD_EXPORT = [
    (None, "关于印发《2026年机关党建工作要点》的通知"),
    (None, "现将《2026年机关党建工作要点》印发给你们，请结合实际，认真贯彻落实。"),
    (0, "加强政治建设"),
    (2, "开展青年理论学习小组“微宣讲”活动，2026年6月底前完成第一轮宣讲。（牵头单位：机关党委）"),
    (
        2,
        "建立重大事项请示报告工作台账，按月梳理报告事项。（牵头单位：办公厅；完成时限：2026年3月31日前）",
    ),
    (0, "加强作风建设"),
    (2, "持续精简文件会议，全年发文数量比上年减少10%。（牵头单位：办公厅）"),
]


if __name__ == "__main__":
    main()
