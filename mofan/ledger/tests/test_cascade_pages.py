"""层层分解 on the pages: the split page (by rows and from pasted text), the item page's sub-items
with their lights, and who reaches the split page at all."""

from datetime import date

import pytest
from django.urls import reverse

from mofan.ledger.choices import ItemState
from mofan.ledger.models import Item
from mofan.ledger.tests.test_cascade import cascade  # noqa: F401  (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_late_2026")]

PASTED = (
    "一是由干部处牵头，于11月20日前修订干部选拔任用工作办法；"
    "二是干部处负责在12月10日前完成干部档案专项审核；"
    "三是人才处于年底前制定高层次人才引进办法。"
)


def test_pasted_text_becomes_rows_to_check_then_sub_items_handed_out(cascade, login):  # noqa: F811
    c = cascade
    client = login(c.una)
    url = reverse("ledger:item_split", args=[c.parent.pk])
    page = client.post(url, {"paste": "1", "text": PASTED})
    assert page.status_code == 200
    assert "从文字中识别出 3 项子事项" in page.content.decode()
    rows = page.context["formset"].initial
    assert [(r["lead_unit"], r["deadline"]) for r in rows] == [
        (c.cadre.pk, date(2026, 11, 20)),
        (c.cadre.pk, date(2026, 12, 10)),
        (c.talent.pk, date(2026, 12, 31)),  # 人才处于年底前: the unit the text names
    ]
    data = {"form-TOTAL_FORMS": "3", "form-INITIAL_FORMS": "0", "assign": "1"}
    owners = [c.gan_p, c.cai_p, c.ren_p]
    for n, row in enumerate(rows):
        data |= {
            f"form-{n}-content": row["content"],
            f"form-{n}-lead_unit": row["lead_unit"],
            f"form-{n}-owners": owners[n].pk,
            f"form-{n}-deadline": row["deadline"].isoformat(),
        }
    response = client.post(url, data, follow=True)
    assert response.status_code == 200
    assert "已分解为 3 项子事项（2.1、2.2、2.3）并交办。" in response.content.decode()
    children = list(Item.objects.filter(parent=c.parent).order_by("sort_key"))
    assert [ch.state for ch in children] == [ItemState.ASSIGNED] * 3
    assert [ch.owners.get() for ch in children] == owners
    # The upper supervisor's item page lists them with their lights, read-only.
    page = login(c.sam).get(reverse("ledger:item", args=[c.parent.pk])).content.decode()
    assert 'data-testid="children"' in page and "共 3 项，已销号 0 项" in page
    assert "督办：周八" in page and 'data-testid="split"' not in page
    # A second split shows what was split off before.
    page = login(c.una).get(url).content.decode()
    assert (
        'data-testid="split-existing"' in page
        and "2.3 人才处于年底前制定高层次人才引进办法" in page
    )


def test_a_row_outside_the_subtree_is_refused_and_nothing_written(cascade, login):  # noqa: F811
    c = cascade
    client = login(c.una)
    data = {
        "form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "assign": "1",
        "form-0-content": "越界", "form-0-lead_unit": c.unit_a.pk, "form-0-deadline": "2026-12-01",
    }  # fmt: skip
    response = client.post(reverse("ledger:item_split", args=[c.parent.pk]), data)
    assert response.status_code == 400
    assert "所选项不存在，或不在您可选择的范围内。" in response.content.decode()
    assert not c.parent.children.exists()


@pytest.mark.parametrize(
    ("who", "status"),
    [("una", 200), ("sam", 404), ("office_head", 404), ("gan", 404), ("amy", 404)],
)
def test_only_the_lead_units_leader_reaches_the_split_page(cascade, login, who, status):  # noqa: F811
    c = cascade
    response = login(getattr(c, who)).get(reverse("ledger:item_split", args=[c.parent.pk]))
    assert response.status_code == status


def test_owners_named_by_role_are_proposed_from_the_lead_unit(cascade, login):  # noqa: F811
    """“干部处处长” is the person of 干部处 with that title; “人才处负责人” the head of 人才处 (a
    …长 or 主任, not a deputy); a part naming nobody gets nobody, for the user to choose."""
    from mofan.orgs.models import Person

    c = cascade
    from conftest import make_member

    deputy = make_member("副处长甲", c.talent, c.branch_b)
    Person.objects.filter(pk__in=[c.gan_p.pk, c.ren_p.pk]).update(job_title="处长")
    Person.objects.filter(pk=deputy.pk).update(job_title="副处长")
    text = (
        "一是由干部处处长牵头，于11月20日前修订干部选拔任用工作办法；"
        "二是干部处负责在12月10日前完成干部档案专项审核；"
        "三是人才处负责人于年底前制定高层次人才引进办法。"
    )
    page = login(c.una).post(
        reverse("ledger:item_split", args=[c.parent.pk]), {"paste": "1", "text": text}
    )
    rows = page.context["formset"].initial
    assert [r["owners"] for r in rows] == [[c.gan_p.pk], [], [c.ren_p.pk]]
    assert "甘处长" in page.content.decode()  # the proposed owner shown in the picker


# -- from an Excel sheet -----------------------------------------------------------------------


def _sheet(rows, headers=("任务内容", "牵头单位", "责任人", "完成时限")):
    import io

    import xlsxwriter
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True})
    sheet = book.add_worksheet()
    for r, row in enumerate([headers, *rows]):
        for col, value in enumerate(row):
            sheet.write(r, col, value)
    book.close()
    return SimpleUploadedFile(
        "分解表.xlsx",
        buffer.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def test_a_sheet_becomes_rows_to_check_then_sub_items(cascade, login):  # noqa: F811
    c = cascade
    client = login(c.una)
    url = reverse("ledger:item_split", args=[c.parent.pk])
    upload = _sheet(
        [
            ("修订干部选拔任用工作办法", "干部处", "甘处长", "2026年11月20日前"),
            ("完成干部档案专项审核", "UB1", "甘处长、蔡科员", ""),
            ("制定高层次人才引进办法", "人才处", "", "11月底前"),
        ],
        headers=("任务内容", "牵头单位", "责任人", "完成时限", "配合单位"),
    )
    page = client.post(url, {"from_sheet": "1", "sheet": upload})
    assert page.status_code == 200
    text = page.content.decode()
    assert "从 Excel 读入 3 项子事项，请核对后保存。" in text
    assert "表中的“配合单位”栏未读入" in text
    rows = page.context["formset"].initial
    assert [(r["lead_unit"], r["owners"], r["deadline"]) for r in rows] == [
        (c.cadre.pk, [c.gan_p.pk], date(2026, 11, 20)),
        (c.cadre.pk, [c.gan_p.pk, c.cai_p.pk], date(2026, 12, 31)),  # the item's own
        (c.talent.pk, [], date(2026, 11, 30)),
    ]
    assert not c.parent.children.exists()  # nothing written before the user saves


def test_a_sheet_with_a_bad_cell_gives_nothing_and_names_each_cell(cascade, login):  # noqa: F811
    c = cascade
    client = login(c.una)
    upload = _sheet(
        [
            (
                "修订干部选拔任用工作办法",
                "干部处",
                "甘处长",
                "2027年3月底前",
            ),  # later than the item
            ("越出分解范围", "办公厅", "", ""),  # not in the subtree
            ("", "人才处", "查无此人", "明年春天"),
        ]
    )
    page = client.post(
        reverse("ledger:item_split", args=[c.parent.pk]), {"from_sheet": "1", "sheet": upload}
    )
    assert page.status_code == 400
    errors = [(e.row, e.header, e.message) for e in page.context["sheet_errors"]]
    assert errors == [
        (2, "完成时限", "完成时限不能晚于本事项的时限（2026年12月31日）。"),
        (3, "牵头单位", "单位“办公厅”不在您可分解的范围内。"),
        (4, "任务内容", "任务内容不能为空。"),
        (4, "责任人", "责任人“查无此人”不在您可分解的范围内，或尚无系统账号。"),
        (4, "完成时限", "无法识别的完成时限“明年春天”，可写如 2026年6月底前、6月30日前。"),
    ]
    assert "表中有 5 处错误，未读入任何一行" in page.content.decode()
    assert len(page.context["formset"].initial) == 1  # the empty row, not the sheet's


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (None, "请选择要读入的 Excel 文件。"),
        ("text", "请上传 .xlsx 格式的 Excel 文件"),
        ("no_content", "表中没有“任务内容”栏"),
    ],
)
def test_a_file_that_is_no_sheet_is_refused_in_chinese(cascade, login, upload, message):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = cascade
    data = {"from_sheet": "1"}
    if upload == "text":
        data["sheet"] = SimpleUploadedFile("分解表.txt", "任务内容".encode())
    elif upload == "no_content":
        data["sheet"] = _sheet([("干部处", "甘处长")], headers=("牵头单位", "责任人"))
    page = login(c.una).post(reverse("ledger:item_split", args=[c.parent.pk]), data)
    assert page.status_code == 400 and message in page.content.decode()
    assert not c.parent.children.exists()


@pytest.mark.parametrize(
    ("who", "status"), [("una", 200), ("sam", 404), ("office_head", 404), ("amy", 404)]
)
def test_the_sheet_template_lists_the_units_one_may_split_among(cascade, login, who, status):  # noqa: F811
    import io

    import openpyxl

    c = cascade
    response = login(getattr(c, who)).get(reverse("ledger:item_split_template", args=[c.parent.pk]))
    assert response.status_code == status
    if status == 200:
        book = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content)))
        assert [c.value for c in book["分解表"][1]] == [
            "任务内容",
            "牵头单位",
            "责任人",
            "完成时限",
        ]
        units = [row[0] for row in book["可选单位"].iter_rows(min_row=2, values_only=True)]
        assert units == ["人事司", "干部处", "人才处"]


# -- from an uploaded document -----------------------------------------------------------------


def test_an_uploaded_plan_becomes_rows_to_check(cascade, login):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    from mofan.docparse.tests.builders import numbered_docx

    c = cascade
    plan = numbered_docx(
        [
            (None, "人事司关于完善干部人才工作制度的落实方案"),
            (0, "修订干部选拔任用工作办法，由干部处负责，11月20日前完成。"),
            (0, "人才处年底前制定高层次人才引进办法。"),
        ]
    )
    page = login(c.una).post(
        reverse("ledger:item_split", args=[c.parent.pk]),
        {"paste": "1", "document": SimpleUploadedFile("落实方案.docx", plan)},
    )
    assert page.status_code == 200, page.content.decode()[:2000]
    rows = page.context["formset"].initial
    assert [(r["lead_unit"], r["deadline"]) for r in rows] == [
        (c.cadre.pk, date(2026, 11, 20)),
        (c.talent.pk, date(2026, 12, 31)),
    ]
    assert not c.parent.children.exists()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "请粘贴分工文字，或上传分工文件。"),
        ({"document": ("方案.docx", b"PK\x03\x04 not really a zip")}, "损坏"),
        ({"document": ("方案.txt", "干部处负责。".encode() * 4000)}, "超过 2 万字"),
    ],
)
def test_a_plan_that_cannot_be_read_is_refused_in_chinese(cascade, login, data, message):  # noqa: F811
    from django.core.files.uploadedfile import SimpleUploadedFile

    c = cascade
    post = {"paste": "1"}
    if "document" in data:
        post["document"] = SimpleUploadedFile(*data["document"])
    page = login(c.una).post(reverse("ledger:item_split", args=[c.parent.pk]), post)
    assert page.status_code == 400 and message in page.content.decode()
    assert not c.parent.children.exists()


def test_urging_ticked_parts_one_only_follows_says_so(cascade, login):  # noqa: F811
    from mofan.ledger import services
    from mofan.ledger.services import SubItem

    c = cascade
    part = services.decompose(
        c.parent,
        actor=c.una,
        parts=[
            SubItem("修订干部选拔任用办法", c.cadre, owners=[c.gan_p], deadline=date(2026, 12, 1))
        ],
        assign=True,
    )[0]
    response = login(c.sam).post(
        reverse("ledger:bulk", args=[c.ledger.pk]),
        {"action": "urge", "text": "请按期报送进展。", "items": [c.parent.pk, part.pk]},
        follow=True,
    )
    text = response.content.decode()
    assert "已催办 1 项：2。" in text
    assert "2.1 由分解该事项的单位督办，您只能查看，未催办。" in text
    assert not part.events.filter(kind="urge").exists()


def test_the_parent_shows_how_far_its_parts_are(cascade, login):  # noqa: F811
    from mofan.ledger import services
    from mofan.ledger.services import SubItem
    from mofan.ledger.tests.test_cascade import finish

    c = cascade
    first, second = services.decompose(
        c.parent,
        actor=c.una,
        parts=[
            SubItem("修订干部选拔任用办法", c.cadre, owners=[c.gan_p], deadline=date(2026, 12, 1)),
            SubItem("制定人才引进办法", c.talent, owners=[c.ren_p], deadline=date(2026, 12, 1)),
        ],
        assign=True,
    )
    services.submit_report(first, actor=c.gan, text="初稿已成。", percent=40, submission_key="a")
    page = login(c.sam).get(reverse("ledger:item", args=[c.parent.pk])).content.decode()
    assert "进度 40%" in page and "共 2 项，已销号 0 项，平均进度 20%" in page
    finish(second, c.ren, c.una)
    page = login(c.sam).get(reverse("ledger:item", args=[c.parent.pk])).content.decode()
    assert "共 2 项，已销号 1 项，平均进度 70%" in page


def test_proposals_cost_the_same_queries_for_one_part_and_three(cascade):  # noqa: F811
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from mofan.ledger import cascade as splitting
    from mofan.orgs.models import Person

    c = cascade
    Person.objects.filter(pk__in=[c.gan_p.pk, c.ren_p.pk]).update(job_title="处长")
    named = (
        "一是由干部处处长牵头，于11月20日前修订干部选拔任用工作办法；"
        "二是干部处处长负责在12月10日前完成干部档案专项审核；"
        "三是人才处处长于年底前制定高层次人才引进办法。"
    )
    splitting.proposals(c.parent, actor=c.una, text=named)  # the user's roles, read once
    counts = []
    for text in (named.split("；")[0] + "。", named):
        with CaptureQueriesContext(connection) as queries:
            parts = splitting.proposals(c.parent, actor=c.una, text=text)
        counts.append((len(parts), len(queries)))
        assert all(part.owners for part in parts)  # each part has its 处长
    assert [n for n, _ in counts] == [1, 3]
    assert counts[0][1] == counts[1][1]
