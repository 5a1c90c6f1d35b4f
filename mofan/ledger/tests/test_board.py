from datetime import date

import pytest
from django.urls import reverse

from mofan.ledger import services
from mofan.ledger.models import Item
from mofan.notify.models import Notification

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_late_2026")]


def test_board_ranks_units_by_overdue_items(ledger_world, login):
    w = ledger_world
    late = services.add_item(
        w.ledger,
        actor=w.sam,
        content="人事司超期",
        lead_unit=w.unit_b,
        owners=[w.amy_p],
        deadline=date(2026, 11, 30),
    )
    for item in (w.item, late):
        services.transition(item, "assign", actor=w.sam)
    Item.objects.filter(pk=late.pk).update(deadline=date(2020, 1, 1))
    response = login(w.sam).get(reverse("ledger:board"))
    rows = list(response.context["rows"])
    assert [r["lead_unit__name"] for r in rows] == ["人事司", "办公厅"]
    assert rows[0]["red"] == 1 and rows[1]["red"] == 0


def test_board_shows_only_supervised_ledgers(ledger_world, login):
    services.transition(ledger_world.item, "assign", actor=ledger_world.sam)
    assert list(login(ledger_world.una).get(reverse("ledger:board")).context["rows"]) == []


def test_bulk_assign_and_urge(ledger_world, login):
    w = ledger_world
    second = services.add_item(
        w.ledger,
        actor=w.sam,
        content="第二项",
        lead_unit=w.unit_a,
        owners=[w.amy_p],
        deadline=date(2026, 12, 31),
    )
    bare = services.add_item(w.ledger, actor=w.sam, content="未指定责任人")
    client = login(w.sam)
    response = client.post(
        reverse("ledger:bulk", args=[w.ledger.pk]),
        {"action": "assign", "items": [w.item.pk, second.pk, bare.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "已交办 2 项：1、2" in page and "3：交办前须指定牵头单位。" in page
    client.post(
        reverse("ledger:bulk", args=[w.ledger.pk]),
        {"action": "urge", "text": "请加快进度", "items": [w.item.pk, second.pk]},
    )
    assert Notification.objects.filter(user=w.amy, kind="ledger.urge").count() == 2


def test_bulk_actions_belong_to_supervisors(ledger_world, login):
    w = ledger_world
    response = login(w.una).post(
        reverse("ledger:bulk", args=[w.ledger.pk]), {"action": "assign", "items": [w.item.pk]}
    )
    assert response.status_code == 404
    assert Item.objects.get(pk=w.item.pk).state == "draft"


def test_all_items_view_is_scoped(ledger_world, login):
    assert login(ledger_world.una).get(reverse("ledger:items")).context["page"].paginator.count == 1
    assert login(ledger_world.bob).get(reverse("ledger:items")).context["page"].paginator.count == 0


def test_home_page_sums_up_own_and_supervised_tasks(ledger_world, login):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    Item.objects.filter(pk=w.item.pk).update(deadline=date(2020, 1, 1))
    page = login(w.amy).get("/").content.decode()
    assert "在办 1 项" in page and "超期 1 项" in page
    page = login(w.sam).get("/").content.decode()
    assert 'data-testid="supervised-open">在办 1 项' in page
    assert "我督办的事项" not in login(w.una).get("/").content.decode()
