import io

import openpyxl
import pytest
from django.urls import reverse
from docx import Document

from mofan.audit.models import AuditEvent
from mofan.ledger import services

pytestmark = pytest.mark.django_db


def test_excel_ledger_has_the_customary_layout_and_neutralises_formulas(ledger_world, login):
    w = ledger_world
    services.add_item(w.ledger, actor=w.sam, content="=cmd|' /C calc'!A0", lead_unit=w.unit_b)
    services.transition(w.item, "assign", actor=w.sam)
    services.submit_report(w.item, actor=w.amy, text="已起草", percent=30, submission_key="x1")
    response = login(w.sam).get(reverse("ledger:export", args=[w.ledger.pk, "xlsx"]))
    book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet["A1"].value == "2026年重要指示批示落实台账"
    assert "A1:J1" in [str(r) for r in sheet.merged_cells.ranges]
    assert (
        "D2:F2" in [str(r) for r in sheet.merged_cells.ranges] and sheet["D2"].value == "责任分工"
    )
    assert [sheet.cell(row=3, column=c).value for c in (4, 5, 6)] == [
        "牵头单位",
        "配合单位",
        "责任人",
    ]
    assert sheet.freeze_panes == "A4"
    assert sheet.print_title_rows == "$2:$3"
    assert sheet.page_setup.orientation == "landscape" and sheet.page_setup.paperSize == 8
    first = [c.value for c in sheet[4]]
    assert first[:3] == ["1", "批〔2026〕1号 关于加强机关党建的批示", "制定机关党建工作要点"]
    assert first[5] == "李四" and first[7] == "已起草"
    assert sheet.cell(row=5, column=3).value == "'=cmd|' /C calc'!A0"
    assert AuditEvent.objects.filter(action="ledger.ledger.exported").exists()


def test_export_follows_the_page_filters_and_scope(ledger_world, login):
    w = ledger_world
    services.add_item(w.ledger, actor=w.sam, content="人事司的事项", lead_unit=w.unit_b)
    sheet = openpyxl.load_workbook(
        io.BytesIO(
            b"".join(
                login(w.sam)
                .get(reverse("ledger:export", args=[w.ledger.pk, "xlsx"]), {"unit": w.unit_a.pk})
                .streaming_content
            )
        )
    ).active
    assert [r[0] for r in sheet.iter_rows(min_row=4, values_only=True)] == ["1"]
    assert login(w.bob).get(reverse("ledger:export", args=[w.ledger.pk, "xlsx"])).status_code == 404


def test_word_ledger_is_a_landscape_table_with_a_repeated_header(ledger_world, login):
    w = ledger_world
    response = login(w.sam).get(reverse("ledger:export", args=[w.ledger.pk, "docx"]))
    document = Document(io.BytesIO(b"".join(response.streaming_content)))
    assert document.paragraphs[0].text == "2026年重要指示批示落实台账"
    assert document.sections[0].page_width > document.sections[0].page_height
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells][:3] == ["序号", "任务来源", "任务内容"]
    assert table.rows[0]._tr.xpath("./w:trPr/w:tblHeader")
    assert table.rows[1].cells[2].text == "制定机关党建工作要点"
