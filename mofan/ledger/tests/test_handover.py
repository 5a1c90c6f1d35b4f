"""An item handed to a lower organisation's own ledger (issue 11): its 督办员 签收 it into one of
their ledgers (linked both ways) or 退回 it with a reason; the upper item rolls the lower one up
and is not closed out before it; need-to-know for everyone else."""

from datetime import date, timedelta
from types import SimpleNamespace

import pytest
from django.utils import timezone

from conftest import make_member, make_user
from mofan.access.roles import Role
from mofan.access.scoping import Action
from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput
from mofan.ledger import services
from mofan.ledger.choices import ItemState, LedgerKind, Light
from mofan.ledger.models import Handover, Item
from mofan.ledger.services import NotAllowed
from mofan.notify.models import Notification
from mofan.orgs import services as orgs
from mofan.orgs.choices import UnitKind

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("in_late_2026")]


@pytest.fixture
def handed(ledger_world):
    """测试部 (sam's ledger) has a 直属单位 with its own 督办员 (zhi) and ledger; 人事司 has a
    督办员 too (a sibling of the 直属单位, who must not take it over)."""
    w = ledger_world
    direct = orgs.create_unit(
        actor=None, parent=w.unit_root, kind=UnitKind.ORGAN, code="UD", name="信息中心"
    )
    zhi_p = make_member("郑督办", direct, w.branch_b)
    zhi = make_user("zhi", zhi_p, (Role.SUPERVISOR, direct))
    sibling = make_user(
        "sib", make_member("司督办", w.unit_b, w.branch_b), (Role.SUPERVISOR, w.unit_b)
    )
    own = services.create_ledger(
        actor=zhi,
        name="信息中心2026年重点工作台账",
        kind=LedgerKind.GENERAL,
        year=2026,
        unit=direct,
    )
    item = services.add_item(
        w.ledger, actor=w.sam, content="建设机关党建信息平台", lead_unit=direct,
        deadline=date(2026, 12, 31),
    )  # fmt: skip
    return SimpleNamespace(**vars(w), direct=direct, zhi=zhi, sibling=sibling, own=own, up=item)


def _titles(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_handed_over_taken_over_and_linked_both_ways(handed):
    h = handed
    handover = services.hand_over(h.up, actor=h.sam, to_unit=h.direct, note="请纳入本单位台账")
    up = Item.objects.get(pk=h.up.pk)
    assert up.state == ItemState.ASSIGNED and handover.state == "pending"
    assert "上级交办事项待签收：2026年重要指示批示落实台账 第 2 项" in _titles(h.zhi)
    assert list(Handover.objects.restrict(h.zhi, Action.TAKE_OVER)) == [handover]
    assert not Handover.objects.restrict(h.sibling, Action.TAKE_OVER).exists()
    assert not Handover.objects.restrict(h.sam, Action.TAKE_OVER).exists()  # he sent it

    received = services.take_over(handover, actor=h.zhi, ledger=h.own)
    assert received.ledger == h.own and received.number == "1"
    assert received.content == up.content and received.deadline == up.deadline
    handover.refresh_from_db()
    assert handover.received == received and handover.state == "accepted"
    up.refresh_from_db()
    assert up.state == ItemState.ACCEPTED and up.has_children
    assert "信息中心已签收，纳入《信息中心2026年重点工作台账》第 1 项。" in _titles(h.sam)[
        0
    ] or any("信息中心已签收" in t for t in _titles(h.sam))
    # The upper supervisor follows the lower item read-only; the lower supervisor runs it.
    assert received in Item.objects.restrict(h.sam, Action.VIEW)
    assert not services.is_supervisor(h.sam, received)
    assert services.is_supervisor(h.zhi, received)
    assert received not in Item.objects.restrict(h.sibling, Action.VIEW)
    assert AuditEvent.objects.filter(action="ledger.handover.accepted").exists()


def test_the_lower_item_rolls_up_and_holds_the_upper_one_open(handed):
    h = handed
    received = services.take_over(
        services.hand_over(h.up, actor=h.sam, to_unit=h.direct), actor=h.zhi, ledger=h.own
    )
    # The lower organisation hands it out with an earlier deadline, which has now passed.
    services.update_item(
        received, actor=h.zhi, version=received.version, lead_unit=h.direct,
        owners=[h.zhi.person], deadline=timezone.localdate() - timedelta(days=2),
    )  # fmt: skip
    services.transition(received, "assign", actor=h.zhi)
    lights = dict(Item.objects.with_light().values_list("pk", "light"))
    assert lights[received.pk] == Light.RED and lights[h.up.pk] == Light.RED
    Item.objects.filter(pk=h.up.pk).update(state=ItemState.DONE)
    with pytest.raises(InvalidInput) as error:
        services.transition(h.up, "close_out", actor=h.sam, evaluation="good")
    assert "《信息中心2026年重点工作台账》第 1 项" in error.value.message


def test_returned_with_a_reason_and_handed_elsewhere(handed):
    h = handed
    handover = services.hand_over(h.up, actor=h.sam, to_unit=h.direct)
    with pytest.raises(InvalidInput):
        services.return_handover(handover, actor=h.zhi, reason=" ")
    services.return_handover(handover, actor=h.zhi, reason="不属于本单位职责")
    assert any("信息中心退回：不属于本单位职责" in t for t in _titles(h.sam))
    with pytest.raises(InvalidInput):
        services.take_over(handover, actor=h.zhi, ledger=h.own)
    again = services.hand_over(h.up, actor=h.sam, to_unit=h.direct)  # may be handed again
    assert again.state == "pending"


@pytest.mark.parametrize("who", ["sibling", "sam", "amy"])
def test_nobody_but_the_receivers_takes_it_over(handed, who):
    h = handed
    handover = services.hand_over(h.up, actor=h.sam, to_unit=h.direct)
    with pytest.raises(NotAllowed):
        services.take_over(handover, actor=getattr(h, who), ledger=h.own)
    with pytest.raises(NotAllowed):
        services.return_handover(handover, actor=getattr(h, who), reason="不要")


def test_only_the_items_supervisor_hands_it_to_a_unit_below_with_a_supervisor(handed):
    h = handed
    with pytest.raises(NotAllowed):
        services.hand_over(h.up, actor=h.zhi, to_unit=h.direct)
    with pytest.raises(InvalidInput) as error:
        services.hand_over(h.up, actor=h.sam, to_unit=h.unit_root)
    assert error.value.message == "只能交给“测试部”的下级单位。"
    with pytest.raises(InvalidInput) as error:
        services.hand_over(h.up, actor=h.sam, to_unit=h.unit_a)
    assert error.value.message == "“办公厅”尚未设督办员，无人签收，不能交其台账。"
    services.hand_over(h.up, actor=h.sam, to_unit=h.direct)
    with pytest.raises(InvalidInput):
        services.hand_over(h.up, actor=h.sam, to_unit=h.unit_b)  # one live hand-over at a time


def test_it_goes_only_into_a_ledger_of_the_receiving_unit_the_receiver_supervises(handed):
    h = handed
    handover = services.hand_over(h.up, actor=h.sam, to_unit=h.direct)
    with pytest.raises(InvalidInput):
        services.take_over(handover, actor=h.zhi, ledger=h.ledger)  # the upper ledger
    assert Handover.objects.get(pk=handover.pk).state == "pending"


# --- the pages ---------------------------------------------------------------------------------


def test_the_pages_hand_it_over_take_it_over_and_link_both_ways(handed, login):
    from django.urls import reverse

    h = handed
    client = login(h.sam)
    page = client.get(reverse("ledger:item", args=[h.up.pk])).content.decode()
    assert 'data-testid="handover"' in page and "交下级单位台账" in page
    response = client.post(
        reverse("ledger:item_action", args=[h.up.pk, "handover"]),
        {"to_unit": h.direct.pk, "note": "请纳入本单位台账"},
        follow=True,
    )
    assert "已交信息中心台账，待对方签收。" in response.content.decode()
    handover = Handover.objects.get()

    client = login(h.zhi)
    inbox = client.get(reverse("ledger:handovers")).content.decode()
    assert "建设机关党建信息平台" in inbox and h.own.name in inbox
    response = client.post(
        reverse("ledger:handovers"),
        {"handover": handover.pk, "action": "take_over", "ledger": h.own.pk},
        follow=True,
    )
    body = response.content.decode()
    assert "已签收，纳入《信息中心2026年重点工作台账》第 1 项，请交办落实。" in body
    assert 'data-testid="upstream"' in body and "《2026年重要指示批示落实台账》第 2 项" in body

    client = login(h.sam)
    page = client.get(reverse("ledger:item", args=[h.up.pk])).content.decode()
    assert "信息中心已签收：" in page and "《信息中心2026年重点工作台账》第 1 项" in page
    received = Handover.objects.get().received
    assert client.get(reverse("ledger:item", args=[received.pk])).status_code == 200


@pytest.mark.parametrize(("who", "inbox"), [("sibling", 200), ("amy", 404), ("una", 404)])
def test_nobody_else_sees_or_decides_a_hand_over(handed, login, who, inbox):
    from django.urls import reverse

    h = handed
    handover = services.hand_over(h.up, actor=h.sam, to_unit=h.direct)
    client = login(getattr(h, who))
    page = client.get(reverse("ledger:handovers"))
    assert page.status_code == inbox
    if inbox == 200:
        assert "建设机关党建信息平台" not in page.content.decode()
    response = client.post(
        reverse("ledger:handovers"), {"handover": handover.pk, "action": "return", "reason": "x"}
    )
    assert response.status_code == 404
    assert Handover.objects.get().state == "pending"


# --- REST API and the permission matrix -------------------------------------------------------


def test_the_api_hands_over_and_takes_over(handed, login):
    h = handed
    answer = login(h.sam).post(
        f"/api/ledger-items/{h.up.pk}/hand-over/", {"to_unit": "UD", "note": "请办理"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    handover_id = answer.json()["id"]
    assert answer.json()["state"] == "pending" and answer.json()["to_unit"] == "UD"
    client = login(h.zhi)
    listed = client.get("/api/handovers/").json()
    assert [row["id"] for row in listed["results"]] == [handover_id]
    answer = client.post(
        f"/api/handovers/{handover_id}/take-over/", {"ledger": h.own.pk},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == 201, answer.content
    assert answer.json()["ledger"] == h.own.pk and answer.json()["number"] == "1"
    assert Handover.objects.get().state == "accepted"


@pytest.mark.parametrize(
    ("who", "sees", "decides"),
    [
        ("sam", 200, 404),  # the upper supervisor: sees what he handed over, decides nothing
        ("zhi", 200, 200),  # the receiving unit's 督办员
        ("sibling", 404, 404),  # a sibling unit's 督办员
        ("amy", 404, 404),  # an outsider
    ],
)
def test_the_hand_over_permission_matrix(handed, login, who, sees, decides):
    h = handed
    handover = services.hand_over(h.up, actor=h.sam, to_unit=h.direct)
    client = login(getattr(h, who))
    assert client.get(f"/api/handovers/{handover.pk}/").status_code == sees
    answer = client.post(
        f"/api/handovers/{handover.pk}/return/", {"reason": "不属于本单位职责"},
        content_type="application/json",
    )  # fmt: skip
    assert answer.status_code == decides
    assert Handover.objects.get().state == ("returned" if decides == 200 else "pending")


def test_a_missed_report_in_the_lower_ledger_shows_on_the_item_above(handed):
    from datetime import timedelta

    from django.utils import timezone

    from mofan.ledger.choices import Light

    h = handed
    handover = services.hand_over(h.up, actor=h.sam, to_unit=h.direct)
    received = services.take_over(handover, actor=h.zhi, ledger=h.own)
    Item.objects.filter(pk=received.pk).update(
        lead_unit=h.direct,
        state=ItemState.ASSIGNED,
        report_cycle="monthly",
        assigned_on=timezone.localdate() - timedelta(days=70),
    )  # handed out in the lower ledger two months ago, never reported on
    assert services.refresh_late_rollups(timezone.localdate()) == 1
    light = Item.objects.with_light().get(pk=h.up.pk).light
    assert light == Light.YELLOW
