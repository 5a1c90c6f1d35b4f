import io
from datetime import date

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_id_number
from mofan.audit.models import AuditEvent
from mofan.core.tests import samples
from mofan.orgs.imports import COLUMNS
from mofan.orgs.models import Membership, Person

pytestmark = pytest.mark.django_db
HEADERS = [c.header for c in COLUMNS]


def _row(
    name="新党员",
    *,
    birth=date(1992, 3, 4),
    gender="男",
    org="A",
    unit="UA",
    kind="正式党员",
    **overrides,
):
    row = {
        "姓名": name,
        "性别": gender,
        "民族": "汉族",
        "出生日期": birth.isoformat(),
        "公民身份号码": make_id_number(birth, "M" if gender == "男" else "F"),
        "手机号码": "",
        "学历": "大学本科",
        "单位": unit,
        "职务": "科员",
        "职级": "一级科员",
        "所在党组织": org,
        "党员类别": kind,
        "入党日期": "2015-07-01",
        "转正日期": "2016-07-01" if kind == "正式党员" else "",
    }
    row.update(overrides)
    return row


def _workbook(rows, *, title_rows=1) -> SimpleUploadedFile:
    book = openpyxl.Workbook()
    sheet = book.active
    for _ in range(title_rows):
        sheet.append(["某某党支部党员名册"])
    sheet.append(HEADERS)
    for row in rows:
        sheet.append([row.get(h, "") for h in HEADERS])
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("名册.xlsx", buffer.getvalue())


def test_template_downloads_with_every_column(world, login):
    response = login(world.carol).get(reverse("orgs:roster_import_template"))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert [c.value for c in sheet[1]] == HEADERS


def test_good_file_is_imported_whole_with_the_header_found_below_a_title(world, login):
    client = login(world.carol)
    rows = [
        _row("甲一"),
        _row("乙二", gender="女", kind="预备党员", **{"入党日期": "2026-03-01"}),
        _row("丙三", org="B", unit="UB"),
    ]
    response = client.post(reverse("orgs:roster_import"), {"file": _workbook(rows, title_rows=2)})
    assert response.status_code == 302
    assert set(
        Person.objects.filter(name__in=["甲一", "乙二", "丙三"]).values_list("name", flat=True)
    ) == {"甲一", "乙二", "丙三"}
    assert Membership.objects.get(person__name="丙三").org == world.branch_b
    event = AuditEvent.objects.get(action="orgs.roster.imported")
    assert event.payload["rows"] == 3


def test_any_bad_row_imports_nothing_and_marks_each_bad_cell(world, login):
    client = login(world.carol)
    bad_id = _row("丁四")
    bad_id["公民身份号码"] = bad_id["公民身份号码"][:-1] + (
        "0" if bad_id["公民身份号码"][-1] != "0" else "1"
    )
    dup = _row("戊五")
    rows = [
        _row("正常"),
        bad_id,
        _row("己六", gender="未知"),
        dup,
        {**dup, "姓名": "戊五重复"},
        _row("庚七", org="NOPE"),
        _row("辛八", **{"转正日期": "2014-01-01"}),
        _row("壬九", **{"出生日期": "1992/13/45"}),
        {
            **_row("癸十"),
            "公民身份号码": world.alice_p.id_number,
            "出生日期": world.alice_p.birth_date.isoformat(),
        },
    ]
    before = Person.objects.count()
    response = client.post(reverse("orgs:roster_import"), {"file": _workbook(rows)})
    assert response.status_code == 400
    assert Person.objects.count() == before
    page = response.content.decode()
    for message in (
        "校验位不正确",
        "性别只能填",
        "与第 6 行的公民身份号码重复",
        "不在您的管辖范围内",
        "转正日期应晚于入党日期",
        "日期格式不正确",
        "已在系统中登记",
    ):
        assert message in page, message
    name = response.context["error_file"]
    marked = client.get(reverse("orgs:roster_import_errors", args=[name]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    id_col = HEADERS.index("公民身份号码") + 1
    assert sheet.cell(row=3, column=id_col).comment.text == "公民身份号码校验位不正确，请核对。"
    assert sheet.cell(row=3, column=id_col).fill.fgColor.rgb.endswith("F8D7DA")
    assert sheet.cell(row=2, column=len(HEADERS) + 1).value in ("", None)
    assert AuditEvent.objects.filter(action="orgs.roster.import_rejected").exists()


def test_org_outside_the_importers_scope_is_an_error(world, login):
    from mofan.access import services
    from mofan.access.roles import Role

    services.grant_role(world.bob, actor=world.secadmin, role=Role.ORG_ADMIN, org=world.branch_b)
    client = login(world.bob)
    response = client.post(
        reverse("orgs:roster_import"), {"file": _workbook([_row("越权", org="A")])}
    )
    assert response.status_code == 400
    assert "不在您的管辖范围内" in response.content.decode()
    assert not Person.objects.filter(name="越权").exists()


def test_not_an_excel_file_is_refused_in_chinese(world, login):
    client = login(world.carol)
    response = client.post(
        reverse("orgs:roster_import"), {"file": SimpleUploadedFile("x.xlsx", b"not excel")}
    )
    assert response.status_code == 400
    assert "文件内容与扩展名“.xlsx”不符（不是 Excel 文件）" in response.content.decode()


def test_error_file_of_another_user_is_not_reachable(world, login):
    client = login(world.carol)
    response = client.post(
        reverse("orgs:roster_import"), {"file": _workbook([_row("坏", gender="?")])}
    )
    name = response.context["error_file"]
    from mofan.access import services
    from mofan.access.roles import Role

    services.grant_role(world.bob, actor=world.secadmin, role=Role.ORG_ADMIN, org=world.branch_b)
    other = login(world.bob)
    assert other.get(reverse("orgs:roster_import_errors", args=[name])).status_code == 404
    assert (
        other.get(reverse("orgs:roster_import_errors", args=["..%2Fsecret_key"])).status_code == 404
    )


@pytest.mark.parametrize("persona", ["alice", "amy", "sam", "sysadmin"])
def test_only_org_admins_may_import(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(reverse("orgs:roster_import")).status_code == 404


def test_the_error_workbook_masks_every_id_and_phone_number(world, login):
    client = login(world.carol)
    rows = [
        _row("甲一", **{"手机号码": "13800138001"}),
        _row("乙二", gender="未知", **{"手机号码": "13800138002", "职务": "联系电话 13900139000"}),
        _row("丙三", **{"公民身份号码": "11010519920304001", "手机号码": "1380013"}),
    ]
    ids = [row["公民身份号码"] for row in rows]
    response = client.post(reverse("orgs:roster_import"), {"file": _workbook(rows)})
    assert response.status_code == 400
    marked = client.get(reverse("orgs:roster_import_errors", args=[response.context["error_file"]]))
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(marked.streaming_content))).active
    id_col, phone_col = HEADERS.index("公民身份号码") + 1, HEADERS.index("手机号码") + 1
    shown_ids = [sheet.cell(row=r, column=id_col).value for r in (2, 3, 4)]
    shown_phones = [sheet.cell(row=r, column=phone_col).value for r in (2, 3, 4)]
    assert shown_ids == [
        ids[0][:3] + "*" * 11 + ids[0][-4:],
        ids[1][:3] + "*" * 11 + ids[1][-4:],
        "110**********4001",
    ]
    assert shown_phones == ["138****8001", "138****8002", "*******"]
    assert sheet.cell(row=3, column=HEADERS.index("职务") + 1).value == "联系电话 139****9000"
    every_cell = " ".join(
        str(cell.value) for row in sheet.iter_rows() for cell in row if cell.value is not None
    )
    for number in (*ids, "13800138001", "13800138002", "13900139000"):
        assert number not in every_cell


def test_an_old_xls_file_is_refused_with_the_way_out(world, login):
    response = login(world.carol).post(
        reverse("orgs:roster_import"), {"file": SimpleUploadedFile("名册.xls", samples.CFB)}
    )
    assert response.status_code == 400
    assert "旧版 .xls 请先另存为 .xlsx" in response.content.decode()


def test_a_zip_bomb_is_refused_before_it_is_expanded(world, login, monkeypatch):
    from mofan.core import sheets

    def never(*args, **kwargs):
        raise AssertionError("openpyxl was called on a zip bomb")

    monkeypatch.setattr(sheets.openpyxl, "load_workbook", never)
    before = Person.objects.count()
    response = login(world.carol).post(
        reverse("orgs:roster_import"),
        {"file": SimpleUploadedFile("名册.xlsx", samples.xlsx_bomb())},
    )
    assert response.status_code == 400
    assert "文件解压后过大（可能是恶意构造的“压缩炸弹”），已拒绝。" in response.content.decode()
    assert Person.objects.count() == before


def test_a_file_past_the_row_limit_stops_being_read_at_the_limit(world, login, monkeypatch):
    from mofan.core import sheets
    from mofan.orgs import imports

    read = [0]
    original = sheets.sheet_rows

    def counting(sheet):
        for row in original(sheet):
            read[0] += 1
            yield row

    monkeypatch.setattr(sheets, "sheet_rows", counting)
    monkeypatch.setattr(imports, "MAX_ROWS", 50)
    rows = [_row(f"人员{i:03d}") for i in range(200)]
    response = login(world.carol).post(reverse("orgs:roster_import"), {"file": _workbook(rows)})
    assert response.status_code == 400
    assert "一次最多导入 50 行" in response.content.decode()
    assert read[0] == sheets.HEADER_ZONE + 51


def test_units_and_organisations_are_named_as_people_name_them(world, login):
    """Issue 10, names not codes: full name, short name, alias or code; a name two units share
    is refused with what to write instead."""
    from mofan.orgs import services as orgs

    orgs.update_unit(
        world.unit_a, actor=None, version=world.unit_a.version, short_name="厅办", aliases="综合司"
    )
    client = login(world.carol)
    rows = [
        _row("甲一", unit="办公厅", org="第一党支部"),
        _row("乙二", unit="厅办", org="A"),
        _row("丙三", unit="综合司", org="第二党支部"),
        _row("丁四", unit="UB", org="第一党支部第一党小组"),
    ]
    response = client.post(reverse("orgs:roster_import"), {"file": _workbook(rows)})
    assert response.status_code == 302
    got = {
        m.person.name: (m.person.unit.code, m.org.code)
        for m in Membership.objects.filter(person__name__in=["甲一", "乙二", "丙三", "丁四"])
    }
    assert got == {
        "甲一": ("UA", "A"),
        "乙二": ("UA", "A"),
        "丙三": ("UA", "B"),
        "丁四": ("UB", "A1"),
    }


def test_a_name_two_units_share_or_none_has_is_a_marked_error(world, login):
    from mofan.orgs import services as orgs

    # Two units go by one short name (a full name would win over short names).
    orgs.update_unit(world.unit_a, actor=None, version=world.unit_a.version, short_name="综合")
    orgs.update_unit(world.unit_b, actor=None, version=world.unit_b.version, short_name="综合")
    client = login(world.carol)
    rows = [
        _row("甲一", unit="综合"),
        _row("乙二", unit="不存在司"),
        _row("丙三", org="中共测试委员会"),
    ]
    response = client.post(reverse("orgs:roster_import"), {"file": _workbook(rows)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "有多个单位名为“综合”，请填写全称或编码" in page
    assert "单位“不存在司”不存在或已撤销" in page
    # the root organisation is outside carol's change scope: named, it is still not found
    assert "党组织“中共测试委员会”不存在，或不在您的管辖范围内" in page
    assert not Person.objects.filter(name__in=["甲一", "乙二", "丙三"]).exists()


@pytest.mark.parametrize(
    ("written", "stored"),
    [
        ("硕士研究生", "master"),
        ("研究生（硕士）", "master"),
        ("研究生(硕士)", "master"),
        ("博士", "doctorate"),
        ("本科", "bachelor"),
        ("大专", "college"),
        ("中专", "secondary"),
        ("高中", "high_school"),
    ],
)
def test_common_spellings_of_a_degree_are_accepted(world, login, written, stored):
    client = login(world.carol)
    response = client.post(
        reverse("orgs:roster_import"), {"file": _workbook([_row("甲一", **{"学历": written})])}
    )
    assert response.status_code == 302
    assert Person.objects.get(name="甲一").education == stored


def test_the_template_and_the_export_share_their_columns(world, login):
    """The roster export's columns are the import's (plus 序号 and 党籍状态, which the import
    skips): names of units and organisations, degrees and dates as the export writes them."""
    from mofan.orgs.exports import ROSTER_HEADERS
    from mofan.orgs.imports import BY_HEADER

    importable = {c.header for c in COLUMNS} | set(BY_HEADER)
    assert set(ROSTER_HEADERS) - importable == {"序号", "党籍状态"}
    for column in COLUMNS:
        if column.required:
            assert column.header in ROSTER_HEADERS or column.key == "phone"


# --- 导出为导入表: the export opens as the import template and imports back (round trip) --------


def _sheet_of(response) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))


def _upload(book: openpyxl.Workbook) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("名册（导入表）.xlsx", buffer.getvalue())


def _cell(sheet, name: str, header: str):
    row = next(r for r in sheet.iter_rows(min_row=2) if r[HEADERS.index("姓名")].value == name)
    return row[HEADERS.index(header)]


def test_the_export_for_import_edited_and_imported_back_updates_and_adds(world, login):
    client = login(world.carol)
    response = client.get(reverse("orgs:roster_import_sheet"))
    assert response.status_code == 200
    book = _sheet_of(response)
    sheet = book.active
    assert [c.value for c in sheet[1]] == HEADERS
    exported = [r[HEADERS.index("姓名")].value for r in sheet.iter_rows(min_row=2)]
    assert sorted(exported) == sorted(Membership.objects.values_list("person__name", flat=True))
    amy = world.amy.person
    # The full number, which matches the row to its person; names of units, not codes.
    assert _cell(sheet, amy.name, "公民身份号码").value == amy.id_number
    assert _cell(sheet, amy.name, "单位").value == amy.unit.name
    assert AuditEvent.objects.get(action="orgs.roster.exported_for_import").payload["rows"] == len(
        exported
    )

    _cell(sheet, amy.name, "职务").value = "二级主任科员"
    _cell(sheet, amy.name, "学历").value = "硕士研究生"
    new = _row("新来的")
    sheet.append([new.get(h, "") for h in HEADERS])
    response = client.post(reverse("orgs:roster_import"), {"file": _upload(book)}, follow=True)
    assert response.status_code == 200
    assert (
        f"已导入：新增 1 名，更新 1 名，未变 {len(exported) - 1} 名。" in response.content.decode()
    )
    amy.refresh_from_db()
    assert (amy.job_title, amy.education) == ("二级主任科员", "master")
    assert Person.objects.filter(name="新来的").count() == 1
    change = AuditEvent.objects.get(action="orgs.person.updated", object_id=str(amy.pk))
    assert change.changes["job_title"] == ["科员", "二级主任科员"]
    assert change.changes["education"] == ["bachelor", "master"]
    assert set(change.changes) == {"job_title", "education"}

    # The same sheet again changes nothing: the versions moved on with the update.
    again = client.post(reverse("orgs:roster_import"), {"file": _upload(book)})
    assert again.status_code == 400
    assert "该党员的信息在导出后已被修改，请重新导出后再改。" in again.content.decode()


def test_a_row_changed_in_the_system_since_the_export_is_refused_whole(world, login):
    from mofan.orgs import services

    client = login(world.carol)
    book = _sheet_of(client.get(reverse("orgs:roster_import_sheet")))
    amy = world.amy.person
    _cell(book.active, amy.name, "职务").value = "表里改的"
    services.update_person(amy, actor=world.carol, version=amy.version, job_title="系统里改的")
    response = client.post(reverse("orgs:roster_import"), {"file": _upload(book)})
    assert response.status_code == 400
    assert "该党员的信息在导出后已被修改" in response.content.decode()
    amy.refresh_from_db()
    assert amy.job_title == "系统里改的"


def test_moving_a_member_to_another_branch_is_not_done_by_import(world, login):
    client = login(world.carol)
    book = _sheet_of(client.get(reverse("orgs:roster_import_sheet")))
    amy = world.amy.person
    _cell(book.active, amy.name, "所在党组织").value = world.branch_b.name
    response = client.post(reverse("orgs:roster_import"), {"file": _upload(book)})
    assert response.status_code == 400
    assert "变更请办理组织关系转接" in response.content.decode()
    assert Membership.objects.get(person=amy).org == world.branch_a


def test_a_registered_number_in_a_plain_template_says_how_to_change_it(world, login):
    client = login(world.carol)
    amy = world.amy.person
    row = _row(amy.name, **{"公民身份号码": amy.id_number})
    response = client.post(reverse("orgs:roster_import"), {"file": _workbook([row])})
    assert response.status_code == 400
    assert "该公民身份号码已在系统中登记。如需修改已登记党员，请在党员名册点“导出为导入表”" in (
        response.content.decode()
    )


def test_the_export_for_import_holds_only_members_the_admin_may_change(world, login):
    from mofan.access import services
    from mofan.access.roles import Role

    services.grant_role(world.bob, actor=world.secadmin, role=Role.ORG_ADMIN, org=world.branch_b)
    client = login(world.bob)
    sheet = _sheet_of(client.get(reverse("orgs:roster_import_sheet"))).active
    orgs_in_sheet = {r[HEADERS.index("所在党组织")].value for r in sheet.iter_rows(min_row=2)}
    assert orgs_in_sheet == {world.branch_b.name}
    # Asking for branch A by the filter gives nothing of A either.
    sheet = _sheet_of(
        client.get(reverse("orgs:roster_import_sheet"), {"org": world.branch_a.pk})
    ).active
    assert {r[HEADERS.index("所在党组织")].value for r in sheet.iter_rows(min_row=2)} <= {
        world.branch_b.name
    }
    # A row of branch A typed into B's admin's sheet is refused like any stranger's number.
    amy = world.amy.person
    row = _row(amy.name, org="B", unit="UB", **{"公民身份号码": amy.id_number, "数据版本": "1-1"})
    response = client.post(reverse("orgs:roster_import"), {"file": _workbook([row])})
    assert response.status_code == 400
    assert "该公民身份号码已在系统中登记。" in response.content.decode()
    # ...without the hint an admin of that member gets: nothing says the person is registered here.
    assert "已在系统中登记。如需修改" not in response.content.decode()


@pytest.mark.parametrize("persona", ["alice", "amy", "sam", "sysadmin"])
def test_only_org_admins_may_export_for_import(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(reverse("orgs:roster_import_sheet")).status_code == 404
