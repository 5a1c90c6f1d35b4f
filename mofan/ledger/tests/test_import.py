import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mofan.audit.models import AuditEvent
from mofan.core.tests import samples
from mofan.ledger.models import Item

pytestmark = pytest.mark.django_db


def _ledger_file(rows, *, merged_lead=False) -> SimpleUploadedFile:
    """A ledger the way organs keep them: a title row, a two-row header, merged unit cells."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["2026年重点工作任务分解台账"])
    sheet.merge_cells("A1:G1")
    sheet.append(["序号", "工作任务", "责任分工", None, None, "完成时限", "进展情况"])
    sheet.append([None, None, "牵头单位", "责任单位", "责任人", None, None])
    sheet.merge_cells("C2:E2")
    for row in rows:
        sheet.append(row)
    if merged_lead:
        sheet.merge_cells(start_row=4, start_column=3, end_row=3 + len(rows), end_column=3)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("台账.xlsx", buffer.getvalue())


def _upload(client, ledger, upload):
    return client.post(reverse("ledger:import", args=[ledger.pk]), {"file": upload})


def _confirm(client, ledger, response, **overrides):
    mapping = {f"map_{k}": v for k, v in response.context["sheet"].mapping.items()}
    mapping.update(overrides)
    return client.post(
        reverse("ledger:import", args=[ledger.pk]), {"token": response.context["token"], **mapping}
    )


ROWS = [
    [1, "完善机关党建制度", "办公厅", "人事司", "李四", "2026年6月底前", "已起草"],
    [2, "开展专题学习", None, "", "", "三季度末", ""],
    [3, "推进作风建设", None, "测试部", "", "长期坚持", ""],
]


def test_a_customary_ledger_is_found_mapped_and_imported(ledger_world, login):
    w = ledger_world
    client = login(w.sam)
    step1 = _upload(client, w.ledger, _ledger_file(ROWS, merged_lead=True))
    assert step1.status_code == 200
    sheet = step1.context["sheet"]
    assert sheet.header_row == 3
    assert {k: sheet.headers[v] for k, v in sheet.mapping.items()} == {
        "number": "序号",
        "content": "工作任务",
        "lead_unit": "牵头单位",
        "co_units": "责任单位",
        "owners": "责任人",
        "deadline": "完成时限",
        "progress": "进展情况",
    }
    step2 = _confirm(client, w.ledger, step1)
    assert step2.status_code == 302
    imported = list(Item.objects.filter(ledger=w.ledger).exclude(pk=w.item.pk).order_by("sort_key"))
    assert [i.number for i in imported] == ["2", "3", "4"]
    assert all(i.lead_unit == w.unit_a for i in imported)  # the merged cell reaches every row
    assert imported[0].deadline == date(2026, 6, 30) and list(imported[0].owners.all()) == [w.amy_p]
    assert list(imported[0].co_units.all()) == [w.unit_b]
    assert imported[1].deadline == date(2026, 9, 30)
    assert imported[2].ongoing and imported[2].deadline is None
    assert "导入时的进展：已起草" in imported[0].events.get().comment
    assert AuditEvent.objects.filter(action="ledger.import.completed").exists()


def test_the_user_can_correct_the_mapping(ledger_world, login):
    w = ledger_world
    client = login(w.sam)
    step1 = _upload(client, w.ledger, _ledger_file(ROWS[:1]))
    step2 = _confirm(client, w.ledger, step1, map_progress="", map_owners="")
    assert step2.status_code == 302
    item = Item.objects.get(ledger=w.ledger, content="完善机关党建制度")
    assert not item.owners.exists()


def test_any_bad_row_imports_nothing_and_marks_the_cells(ledger_world, login):
    w = ledger_world
    client = login(w.sam)
    rows = [
        [1, "好的一行", "办公厅", "", "", "年内", ""],
        [2, "", "不存在的司", "", "张无忌", "尽快", ""],
        [3, "单位冲突", "办公厅、人事司", "", "", "2026-12-31", ""],
    ]
    step1 = _upload(client, w.ledger, _ledger_file(rows))
    step2 = _confirm(client, w.ledger, step1)
    assert step2.status_code == 400
    page = step2.content.decode()
    for text in (
        "任务内容不能为空",
        "单位“不存在的司”在单位架构中未找到",
        "责任人“张无忌”未找到",
        "无法识别的完成时限“尽快”",
        "牵头单位只能有一个",
    ):
        assert text in page, text
    assert Item.objects.filter(ledger=w.ledger).count() == 1
    marked = client.get(
        reverse("ledger:import_errors", args=[w.ledger.pk, step2.context["error_file"]])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    assert "未找到" in sheet.cell(row=3, column=3).comment.text


def test_only_supervisors_import(ledger_world, login):
    w = ledger_world
    for persona in ("amy", "una", "bob"):
        response = _upload(login(getattr(w, persona)), w.ledger, _ledger_file(ROWS))
        assert response.status_code == 404


def test_not_a_ledger_is_refused_in_chinese(ledger_world, login):
    w = ledger_world
    client = login(w.sam)
    response = _upload(client, w.ledger, SimpleUploadedFile("x.xlsx", b"not a workbook"))
    assert response.status_code == 400 and "不是 Excel 文件" in response.content.decode()
    response = _upload(client, w.ledger, SimpleUploadedFile("x.xls", b"old"))
    assert response.status_code == 400 and ".xlsx" in response.content.decode()
    response = client.post(reverse("ledger:import", args=[w.ledger.pk]), {"token": "../../secret"})
    assert response.status_code == 400 and "导入已过期" in response.content.decode()


def test_template_downloads(ledger_world, login):
    response = login(ledger_world.sam).get(
        reverse("ledger:import", args=[ledger_world.ledger.pk]), {"template": "1"}
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]][:3] == ["序号", "任务来源", "任务内容"]


def test_a_zip_bomb_is_refused_on_the_page_and_nothing_is_kept(
    ledger_world, login, settings, tmp_path, monkeypatch
):
    from mofan.core import sheets

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was called on a zip bomb")

    monkeypatch.setattr(sheets.openpyxl, "load_workbook", never)
    settings.VAR_DIR = tmp_path
    w = ledger_world
    response = _upload(login(w.sam), w.ledger, SimpleUploadedFile("台账.xlsx", samples.xlsx_bomb()))
    assert response.status_code == 400
    assert "文件解压后过大（可能是恶意构造的“压缩炸弹”），已拒绝。" in response.content.decode()
    assert not list(tmp_path.rglob("*.xlsx"))


def test_a_50000_row_ledger_is_refused_after_reading_the_limit_plus_one_row(
    ledger_world, login, monkeypatch
):
    from mofan.core import sheets
    from mofan.ledger import imports

    read = [0]
    original = sheets.sheet_rows

    def counting(sheet):
        for row in original(sheet):
            read[0] += 1
            yield row

    monkeypatch.setattr(sheets, "sheet_rows", counting)
    w = ledger_world
    upload = SimpleUploadedFile("台账.xlsx", samples.many_rows_xlsx(50_000))
    response = _upload(login(w.sam), w.ledger, upload)
    assert response.status_code == 400
    assert f"一次最多导入 {imports.MAX_ROWS} 行" in response.content.decode()
    # The rows where a header may sit, then the limit plus one: 20,023 of the file's 50,001.
    assert read[0] == sheets.HEADER_ZONE + imports.MAX_ROWS + 1
    assert Item.objects.filter(ledger=w.ledger).count() == 1


def test_the_error_workbook_masks_id_and_phone_numbers_wherever_they_stand(ledger_world, login):
    w = ledger_world
    rows = [
        [1, "联系 13800138000 核实", "办公厅", "", "", "年内", "身份证 11010519850601001X"],
        [2, "", "不存在的司", "", "", "尽快拨打13900139000", ""],
    ]
    client = login(w.sam)
    step2 = _confirm(client, w.ledger, _upload(client, w.ledger, _ledger_file(rows)))
    assert step2.status_code == 400
    marked = client.get(
        reverse("ledger:import_errors", args=[w.ledger.pk, step2.context["error_file"]])
    )
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    assert sheet.cell(row=2, column=2).value == "联系 138****8000 核实"
    assert sheet.cell(row=2, column=7).value == "身份证 110***********001X"
    assert sheet.cell(row=3, column=6).value == "尽快拨打139****9000"
    assert "139****9000" in sheet.cell(row=3, column=6).comment.text
    every_cell = " ".join(
        str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None
    )
    for number in ("13800138000", "11010519850601001X", "13900139000"):
        assert number not in every_cell


def test_the_kept_upload_is_removed_once_imported(ledger_world, login, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    w = ledger_world
    client = login(w.sam)
    step1 = _upload(client, w.ledger, _ledger_file(ROWS[:1]))
    kept = tmp_path / "imports" / str(w.sam.pk) / f"upload-{step1.context['token']}.xlsx"
    assert kept.is_file()
    assert _confirm(client, w.ledger, step1).status_code == 302
    assert not kept.exists()
