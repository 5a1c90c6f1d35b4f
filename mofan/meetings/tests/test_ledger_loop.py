"""学习传达督促落实: an agenda item's decision becomes a ledger item, linked both ways."""

import pytest
from django.urls import reverse
from time_machine import travel

from mofan.ledger import services as ledger_services
from mofan.ledger.choices import LedgerKind
from mofan.ledger.models import Item
from mofan.meetings import services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.tests.conftest import at


@pytest.fixture
def held(meeting_world):
    w = meeting_world
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        meeting = services.plan_meeting(
            w.branch_a, actor=w.alice, kind=MeetingKind.BRANCH_ASSEMBLY, title="支部党员大会",
            starts_at=at(2026, 11, 19, 14), ends_at=at(2026, 11, 19, 16),
            agenda=[{"title": "学习讲话精神", "is_first_topic": True}],
        )  # fmt: skip
        item = meeting.agenda.get()
        services.record_minutes(
            meeting, actor=w.alice, version=meeting.version, summary="学习了讲话精神。",
            agenda={item.pk: {"discussion": "逐段学习", "decision": "11月底前每名党员撰写心得体会"}},
        )  # fmt: skip
    ledger = ledger_services.create_ledger(
        actor=w.sam, name="第一党支部工作台账", kind=LedgerKind.GENERAL, year=2026, unit=w.unit_a
    )
    ledger.supervisors.add(w.alice)  # the branch secretary keeps the branch's ledger
    meeting.refresh_from_db()
    return meeting, item, ledger


def test_the_secretary_turns_a_decision_into_a_ledger_item(meeting_world, held, login):
    meeting, agenda_item, ledger = held
    client = login(meeting_world.alice)
    with travel("2026-11-20 10:00:00+08:00", tick=False):
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
        assert "生成督办事项" in page and "11月底前每名党员撰写心得体会" in page
        answer = client.post(
            reverse("meetings:action", args=[meeting.pk, "task"]),
            {"agenda_item": agenda_item.pk, "ledger": ledger.pk, "content": "每名党员撰写学习心得体会",
             "lead_unit": meeting_world.unit_a.pk, "deadline": "2026-11-30"},
        )  # fmt: skip
        assert answer.status_code == 302
        item = Item.objects.get(agenda_item=agenda_item)
        assert item.ledger == ledger and item.lead_unit == meeting_world.unit_a
        assert item.source.kind == "meeting" and item.source.title == "支部党员大会"
        page = client.get(reverse("meetings:meeting", args=[meeting.pk])).content.decode()
        assert f'href="{reverse("ledger:item", args=[item.pk])}"' in page
        item_page = client.get(reverse("ledger:item", args=[item.pk])).content.decode()
    assert (
        reverse("meetings:meeting", args=[meeting.pk]) in item_page and "学习讲话精神" in item_page
    )


def test_only_into_a_ledger_one_supervises_and_after_the_meeting(meeting_world, held, login):
    meeting, agenda_item, ledger = held
    ledger.supervisors.remove(meeting_world.alice)
    client = login(meeting_world.alice)
    answer = client.post(
        reverse("meetings:action", args=[meeting.pk, "task"]),
        {"agenda_item": agenda_item.pk, "ledger": ledger.pk, "content": "x"},
    )
    assert answer.status_code == 400 and "请选择您督办的台账" in answer.content.decode()
    assert not Item.objects.filter(agenda_item=agenda_item).exists()
    with pytest.raises(services.NotAllowed):
        services.create_ledger_item(
            agenda_item, actor=meeting_world.bob, ledger=ledger, content="x"
        )
