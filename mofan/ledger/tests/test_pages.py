from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mofan.core.tests import samples
from mofan.ledger import services
from mofan.ledger.choices import ItemState
from mofan.ledger.models import Item, Ledger, ProgressReport

pytestmark = pytest.mark.django_db


def _matrix():
    return [
        ("sam", "ledger:list", None, 200),
        ("sam", "ledger:detail", "ledger", 200),
        ("amy", "ledger:detail", "ledger", 200),
        ("una", "ledger:detail", "ledger", 200),
        ("bob", "ledger:detail", "ledger", 404),
        ("carol", "ledger:detail", "ledger", 404),
        ("sysadmin", "ledger:detail", "ledger", 404),
        ("sam", "ledger:item", "item", 200),
        ("amy", "ledger:item", "item", 200),
        ("una", "ledger:item", "item", 200),
        ("bob", "ledger:item", "item", 404),
        ("alice", "ledger:item", "item", 404),
        ("auditor", "ledger:item", "item", 404),
        ("sam", "ledger:item_edit", "item", 200),
        ("amy", "ledger:item_edit", "item", 404),
        ("una", "ledger:item_edit", "item", 404),
        ("sam", "ledger:item_new", "ledger", 200),
        ("amy", "ledger:item_new", "ledger", 404),
        ("sam", "ledger:source_new", "ledger", 200),
        ("una", "ledger:source_new", "ledger", 404),
        ("amy", "ledger:mine", None, 200),
    ]


@pytest.mark.parametrize(("persona", "name", "arg", "status"), _matrix())
def test_ledger_permission_matrix(ledger_world, login, persona, name, arg, status):
    w = ledger_world
    args = [getattr(w, arg).pk] if arg else []
    assert login(getattr(w, persona)).get(reverse(name, args=args)).status_code == status


def test_item_page_of_another_unit_is_the_same_404_as_a_missing_one(ledger_world, login):
    import re

    client = login(ledger_world.bob)
    hidden = client.get(reverse("ledger:item", args=[ledger_world.item.pk]))
    missing = client.get(reverse("ledger:item", args=[999999]))

    def strip(r):
        return re.sub(rb'(X-CSRFToken": "|name="csrfmiddlewaretoken" value=")[^"]+', b"", r.content)

    assert hidden.status_code == missing.status_code == 404 and strip(hidden) == strip(missing)


def test_supervisor_creates_a_ledger_a_source_and_an_item_through_the_pages(world, login):
    client = login(world.sam)
    response = client.post(
        reverse("ledger:list"),
        {"name": "中央文件落实台账", "kind": "general", "year": 2026, "unit": world.unit_root.pk},
    )
    ledger = Ledger.objects.get(name="中央文件落实台账")
    assert response.status_code == 302
    response = client.post(
        reverse("ledger:source_new", args=[ledger.pk]),
        {"kind": "document", "title": "某文件", "reference": "中办发〔2026〕3号"},
    )
    assert response.status_code == 302
    source = ledger.sources.get()
    response = client.post(
        reverse("ledger:item_new", args=[ledger.pk]),
        {
            "content": "抓好文件落实",
            "source": source.pk,
            "lead_unit": world.unit_a.pk,
            "co_units": [world.unit_b.pk],
            "owners": [world.amy_p.pk],
            "workdays": 20,
            "workdays_from": "2026-09-25",
            "report_cycle": "monthly",
            "tags": "文件 重点",
        },
    )
    assert response.status_code == 302
    item = Item.objects.get(ledger=ledger)
    assert (
        item.number == "1"
        and item.lead_unit == world.unit_a
        and list(item.co_units.all()) == [world.unit_b]
    )
    # 20 working days over the National Day holiday (1–7 October off, Saturday 10 October worked)
    assert item.deadline.isoformat() == "2026-10-29"
    assert item.deadline_note == "自2026年9月25日起20个工作日"
    assert set(item.tags.values_list("name", flat=True)) == {"文件", "重点"}


def test_non_supervisor_cannot_create_a_ledger(world, login):
    response = login(world.amy).post(
        reverse("ledger:list"),
        {"name": "x", "kind": "general", "year": 2026, "unit": world.unit_root.pk},
    )
    assert response.status_code == 403
    assert "只有督办员可以新建台账" in response.content.decode()
    assert not Ledger.objects.exists()


def test_bad_item_input_is_400_in_chinese(ledger_world, login):
    w = ledger_world
    response = login(w.sam).post(
        reverse("ledger:item_new", args=[w.ledger.pk]),
        {
            "content": "x",
            "lead_unit": 999999,
            "report_cycle": "monthly",
            "ongoing": "on",
            "deadline": "2026-12-01",
        },
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "所选项不存在" in page and "长期坚持" in page
    assert Item.objects.count() == 1


def test_closed_loop_through_the_item_page(ledger_world, login):
    w = ledger_world
    sam, amy = login(w.sam), None
    url = lambda what: reverse("ledger:item_action", args=[w.item.pk, what])  # noqa: E731
    assert sam.post(url("transition"), {"action": "assign"}).status_code == 302
    amy = login(w.amy)
    assert amy.post(url("transition"), {"action": "accept"}).status_code == 302
    response = amy.post(
        url("report"),
        {
            "submission_key": "abc",
            "text": "已完成初稿",
            "percent": 50,
            "file": SimpleUploadedFile("初稿.docx", samples.docx_file()),
        },
    )
    assert response.status_code == 302
    assert (
        amy.post(
            url("report"), {"submission_key": "abc", "text": "已完成初稿", "percent": 50}
        ).status_code
        == 302
    )
    assert ProgressReport.objects.count() == 1
    assert (
        amy.post(
            url("attachment"),
            {"file": SimpleUploadedFile("印发稿.pdf", b"%PDF-1.4"), "is_evidence": "on"},
        ).status_code
        == 302
    )
    assert (
        amy.post(url("transition"), {"action": "submit_done", "comment": "已印发"}).status_code
        == 302
    )
    sam = login(w.sam)
    assert (
        sam.post(
            url("transition"), {"action": "close_out", "evaluation": "fairly_good"}
        ).status_code
        == 302
    )
    assert Item.objects.get(pk=w.item.pk).state == ItemState.CLOSED
    page = sam.get(reverse("ledger:item", args=[w.item.pk])).content.decode()
    for text in ("已交办", "已签收", "办理中", "申请办结", "已销号", "已完成初稿", "印发稿.pdf"):
        assert text in page


def test_wrong_step_on_the_page_is_refused_with_the_reason(ledger_world, login):
    w = ledger_world
    response = login(w.amy).post(
        reverse("ledger:item_action", args=[w.item.pk, "transition"]), {"action": "close_out"}
    )
    assert response.status_code == 409
    assert "不能销号" in response.content.decode()
    response = login(w.amy).post(
        reverse("ledger:item_action", args=[w.item.pk, "transition"]), {"action": "assign"}
    )
    assert response.status_code == 403
    assert Item.objects.get(pk=w.item.pk).state == ItemState.DRAFT


def test_co_unit_reader_cannot_act(ledger_world, login):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    client = login(w.una)
    assert (
        client.post(
            reverse("ledger:item_action", args=[w.item.pk, "transition"]), {"action": "accept"}
        ).status_code
        == 403
    )
    assert (
        client.post(
            reverse("ledger:item_action", args=[w.item.pk, "comment"]),
            {"kind": "urge", "text": "快"},
        ).status_code
        == 403
    )
    response = client.post(
        reverse("ledger:item_action", args=[w.item.pk, "report"]),
        {"submission_key": "z", "text": "代报", "percent": 1},
    )
    assert response.status_code == 403


def test_outsider_cannot_post_to_an_item(ledger_world, login):
    w = ledger_world
    response = login(w.bob).post(
        reverse("ledger:item_action", args=[w.item.pk, "transition"]), {"action": "assign"}
    )
    assert response.status_code == 404


def test_attachments_are_served_only_to_those_who_see_the_item(ledger_world, login):
    w = ledger_world
    attachment = services.attach(
        w.item,
        actor=w.amy,
        upload=SimpleUploadedFile("材料.pdf", b"%PDF-1.4 secret"),
        is_evidence=True,
    )
    url = reverse("ledger:attachment", args=[attachment.pk])
    assert b"".join(login(w.una).get(url).streaming_content) == b"%PDF-1.4 secret"
    assert login(w.bob).get(url).status_code == 404


def test_stale_item_edit_through_the_page_is_409(ledger_world, login):
    w = ledger_world
    client = login(w.sam)
    form = {
        "version": w.item.version,
        "content": "甲",
        "lead_unit": w.unit_a.pk,
        "report_cycle": "monthly",
        "deadline": "2026-12-31",
    }
    assert client.post(reverse("ledger:item_edit", args=[w.item.pk]), form).status_code == 302
    response = client.post(reverse("ledger:item_edit", args=[w.item.pk]), {**form, "content": "乙"})
    assert response.status_code == 409
    assert Item.objects.get(pk=w.item.pk).content == "甲"


def test_item_table_filters(ledger_world, login):
    w = ledger_world
    services.add_item(w.ledger, actor=w.sam, content="另一项", lead_unit=w.unit_b)
    client = login(w.sam)

    def numbers(**params):
        page = client.get(reverse("ledger:detail", args=[w.ledger.pk]), params)
        return [i.number for i in page.context["page"].object_list]

    assert numbers() == ["1", "2"]
    assert numbers(unit=w.unit_b.pk) == ["1", "2"]  # item 1 has 人事司 as co-unit
    assert numbers(unit=w.unit_a.pk) == ["1"]
    # The unit is chosen by name and stays shown as chosen; the API still takes codes.
    page = client.get(reverse("ledger:detail", args=[w.ledger.pk]), {"unit": w.unit_a.pk})
    assert f'<option value="{w.unit_a.pk}" selected>办公厅</option>' in page.content.decode()
    assert numbers(owner="李四") == ["1"]
    assert numbers(tag="党建") == ["1"]
    assert numbers(q="另一") == ["2"]
    assert numbers(state="draft", light="") == ["1", "2"]


def test_my_tasks_lists_open_items_of_the_owner(ledger_world, login):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    page = login(w.amy).get(reverse("ledger:mine")).content.decode()
    assert "制定机关党建工作要点" in page
    assert "制定机关党建工作要点" not in login(w.una).get(reverse("ledger:mine")).content.decode()


def test_milestones_through_the_item_page(ledger_world, login):
    w = ledger_world
    url = reverse("ledger:item_action", args=[w.item.pk, "milestone"])
    assert login(w.sam).post(url, {"title": "形成初稿", "due_on": "2026-12-10"}).status_code == 302
    assert login(w.sam).post(url, {"title": "无日期", "due_on": "x"}).status_code == 400
    milestone = w.item.milestones.get()
    done = reverse("ledger:item_action", args=[w.item.pk, "milestone_done"])
    assert login(w.una).post(done, {"milestone": milestone.pk}).status_code == 403
    assert login(w.amy).post(done, {"milestone": milestone.pk}).status_code == 302
    milestone.refresh_from_db()
    assert milestone.done_on is not None


@pytest.mark.parametrize("name", ["ledger:detail", "ledger:items", "ledger:mine", "ledger:board"])
def test_item_tables_take_the_same_number_of_queries_for_2_and_50_items(ledger_world, login, name):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    w = ledger_world
    args = [w.ledger.pk] if name == "ledger:detail" else []
    user = w.amy if name == "ledger:mine" else w.sam
    params = {"light": "", "state": "assigned"} if name != "ledger:board" else {}

    def count():
        client = login(user)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse(name, args=args), params).status_code == 200
        return len(ctx.captured_queries)

    def add(n):
        for i in range(n):
            item = services.add_item(
                w.ledger,
                actor=w.sam,
                content=f"事项{i}",
                lead_unit=w.unit_a,
                co_units=[w.unit_b],
                owners=[w.amy_p],
                deadline=date(2026, 12, 31),
                tags=["批量"],
            )
            services.transition(item, "assign", actor=w.sam)

    add(2)
    if name == "ledger:board":
        count()  # the board's figures counted a first time, as they are from then on
    few = count()
    add(48)
    assert count() == few


def test_supervisor_comments_on_a_report(ledger_world, login):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    report, _ = services.submit_report(
        w.item, actor=w.amy, text="初稿完成", percent=30, submission_key="r1"
    )
    url = reverse("ledger:item_action", args=[w.item.pk, "comment"])
    assert (
        login(w.sam)
        .post(url, {"kind": "comment", "text": "请补充数据", "report": report.pk})
        .status_code
        == 302
    )
    page = login(w.amy).get(reverse("ledger:item", args=[w.item.pk])).content.decode()
    assert "请补充数据" in page
    assert w.item.events.get(kind="comment").report == report


def test_item_table_filters_by_source(ledger_world, login):
    w = ledger_world
    services.add_item(w.ledger, actor=w.sam, content="无来源事项")
    page = login(w.sam).get(reverse("ledger:detail", args=[w.ledger.pk]), {"source": w.source.pk})
    assert [i.number for i in page.context["page"].object_list] == ["1"]
    assert "全部来源" in page.content.decode()


def test_source_page_keeps_documents_and_shows_the_decomposition(ledger_world, login):
    from django.core.files.uploadedfile import SimpleUploadedFile as Upload

    w = ledger_world
    url = reverse("ledger:source", args=[w.source.pk])
    response = login(w.sam).post(url, {"file": Upload("批示件.pdf", b"%PDF-1.4 directive")})
    assert response.status_code == 302
    page = login(w.una).get(url).content.decode()
    assert "批示件.pdf" in page and "制定机关党建工作要点" in page
    attachment = w.source.attachments.get()
    assert (
        b"".join(
            login(w.una).get(reverse("ledger:attachment", args=[attachment.pk])).streaming_content
        )
        == b"%PDF-1.4 directive"
    )
    assert login(w.bob).get(url).status_code == 404
    assert login(w.bob).get(reverse("ledger:attachment", args=[attachment.pk])).status_code == 404
    assert login(w.una).post(url, {"file": Upload("x.pdf", b"%PDF-1.4")}).status_code == 403
    assert w.source.attachments.count() == 1


def test_given_report_dates_through_the_form(ledger_world, login):
    w = ledger_world
    response = login(w.sam).post(
        reverse("ledger:item_new", args=[w.ledger.pk]),
        {
            "content": "按节点报送",
            "report_cycle": "dates",
            "report_dates": "2026-09-30，三季度末，12月20日前",
            "deadline": "2026-12-31",
        },
    )
    assert response.status_code == 302
    item = Item.objects.get(content="按节点报送")
    assert [d.isoformat() for d in item.report_dates.values_list("due_on", flat=True)] == [
        "2026-09-30",
        "2026-12-20",
    ]
    response = login(w.sam).post(
        reverse("ledger:item_new", args=[w.ledger.pk]),
        {"content": "缺日期", "report_cycle": "dates", "report_dates": ""},
    )
    assert response.status_code == 400 and "须填写报送日期" in response.content.decode()


def test_item_table_rows_show_each_column_escaped(ledger_world, login):
    """The rows built in Python (templatetags.ledger.item_rows) show what the template showed:
    the content escaped and cut at 60 characters, the units and owners named, the deadline in
    Chinese, the state, the light, and the checkbox for a supervisor only."""
    from mofan.orgs.models import Person

    w = ledger_world
    Person.objects.filter(pk=w.amy_p.pk).update(name="李四<b>")
    long = "关于<script>alert(1)</script>" + "落实" * 40
    other = services.add_item(w.ledger, actor=w.sam, content=long, lead_unit=w.unit_b, ongoing=True)
    services.transition(w.item, "assign", actor=w.sam)
    page = login(w.sam).get(
        reverse("ledger:detail", args=[w.ledger.pk]), {"light": "", "state": ""}
    )
    html = page.content.decode()
    rows = html[html.index('<table class="table card-table table-vcenter" data-testid="items">') :]
    rows = rows[rows.index("<tbody>") + 7 : rows.index("</tbody>")].split("</tr>")[:-1]
    assert len(rows) == 2
    first, second = rows
    item_url = reverse("ledger:item", args=[w.item.pk])
    assert (
        f'<tr><td class="d-print-none"><input class="form-check-input" type="checkbox" '
        f'name="items" value="{w.item.pk}" form="bulk" aria-label="选择事项 1"></td>'
        f'<td class="text-nowrap">1</td><td><a href="{item_url}">制定机关党建工作要点</a></td>'
        f'<td class="text-nowrap">办公厅</td><td class="d-none d-lg-table-cell small">人事司</td>'
        f'<td class="small">李四&lt;b&gt;</td><td class="text-nowrap">2026年12月31日</td>'
        f'<td class="text-nowrap">已交办</td><td><span class="badge bg-'
    ) in first + "</tr>"
    cut = (long[:59] + "…").replace("<", "&lt;").replace(">", "&gt;")
    assert f'<a href="{reverse("ledger:item", args=[other.pk])}">{cut}</a>' in second
    assert "<script>" not in second
    assert '<td class="text-nowrap">人事司</td>' in second
    assert '<td class="d-none d-lg-table-cell small">—</td><td class="small">—</td>' in second
    assert '<td class="text-nowrap">长期坚持</td><td class="text-nowrap">草稿</td>' in second
    assert '<span class="text-secondary">—</span>' in second  # a draft has no light
    # An owner sees the table without the supervisor's checkboxes.
    page = login(w.amy).get(
        reverse("ledger:detail", args=[w.ledger.pk]), {"light": "", "state": ""}
    )
    assert 'name="items"' not in page.content.decode()
    assert "制定机关党建工作要点" in page.content.decode()
