from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from mofan.access import services as access
from mofan.access.roles import Role
from mofan.core.errors import InvalidInput
from mofan.ledger import services
from mofan.ledger.choices import FindingState, LedgerKind
from mofan.ledger.models import Accountability, Item

pytestmark = pytest.mark.django_db


@pytest.fixture
def rectification(world):
    ledger = services.create_ledger(
        actor=world.sam,
        name="巡视整改台账",
        kind=LedgerKind.RECTIFICATION,
        year=2026,
        unit=world.unit_root,
    )
    finding = services.add_finding(
        ledger, actor=world.sam, description="“第一议题”学习流于形式", cause="制度执行不严"
    )
    return ledger, finding


def _measure(world, finding, content):
    return services.add_measure(
        finding,
        actor=world.sam,
        content=content,
        lead_unit=world.unit_a,
        owners=[world.amy_p],
        deadline=date(2026, 12, 31),
    )


def _close(world, item):
    services.transition(item, "assign", actor=world.sam)
    services.transition(item, "accept", actor=world.amy)
    services.transition(item, "start", actor=world.amy)
    services.attach(
        item,
        actor=world.amy,
        upload=SimpleUploadedFile("整改报告.pdf", b"%PDF-1.4"),
        is_evidence=True,
    )
    services.transition(item, "submit_done", actor=world.amy, comment="已整改")
    services.transition(item, "close_out", actor=world.sam, evaluation="good")


def test_a_finding_closes_when_all_its_measures_do(world, rectification):
    ledger, finding = rectification
    first, second = (
        _measure(world, finding, "建立学习台账"),
        _measure(world, finding, "开展专项检查"),
    )
    _close(world, first)
    finding.refresh_from_db()
    assert finding.state == FindingState.OPEN
    _close(world, second)
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED and finding.closed_at


def test_follow_up_check_can_reopen_a_finding_for_new_measures(world, rectification):
    ledger, finding = rectification
    _close(world, _measure(world, finding, "建立学习台账"))
    with pytest.raises(InvalidInput, match="已整改销号"):
        _measure(world, finding, "不应允许")
    check = services.schedule_follow_up(finding, actor=world.sam, on=date(2027, 3, 1))
    services.record_follow_up(
        check,
        actor=world.sam,
        done_on=date(2027, 3, 2),
        outcome="reopened",
        notes="学习记录又出现补记",
    )
    finding.refresh_from_db()
    assert finding.state == FindingState.REOPENED
    extra = _measure(world, finding, "开展回头看后的再整改")
    _close(world, extra)
    finding.refresh_from_db()
    assert finding.state == FindingState.CLOSED


def test_findings_only_in_rectification_ledgers(ledger_world):
    with pytest.raises(InvalidInput, match="只有整改台账"):
        services.add_finding(ledger_world.ledger, actor=ledger_world.sam, description="x")


def test_follow_up_needs_a_closed_finding(world, rectification):
    with pytest.raises(InvalidInput, match="销号后"):
        services.schedule_follow_up(rectification[1], actor=world.sam, on=date(2027, 1, 1))


def test_rectification_pages(world, rectification, login):
    ledger, finding = rectification
    client = login(world.sam)
    response = client.post(
        reverse("ledger:finding_new", args=[ledger.pk]),
        {"description": "党费收缴不及时", "cause": ""},
    )
    assert response.status_code == 302
    page = client.get(reverse("ledger:detail", args=[ledger.pk])).content.decode()
    assert "问题清单" in page and "党费收缴不及时" in page
    response = client.post(
        reverse("ledger:item_new", args=[ledger.pk]) + f"?finding={finding.pk}",
        {
            "content": "建立学习台账",
            "lead_unit": world.unit_a.pk,
            "owners": [world.amy_p.pk],
            "deadline": "2026-12-31",
            "report_cycle": "monthly",
        },
    )
    assert response.status_code == 302
    measure = Item.objects.get(finding=finding)
    page = client.get(reverse("ledger:finding", args=[finding.pk])).content.decode()
    assert "建立学习台账" in page
    assert "所属问题" in client.get(reverse("ledger:item", args=[measure.pk])).content.decode()
    assert login(world.bob).get(reverse("ledger:finding", args=[finding.pk])).status_code == 404
    assert login(world.amy).get(reverse("ledger:finding_new", args=[ledger.pk])).status_code == 404


def test_accountability_is_seen_by_supervisors_and_the_units_discipline_officers_only(
    ledger_world, login
):
    w = ledger_world
    officer = access.create_user(
        actor=None, username="jj", password="Jijian@2026x", temporary=False, person=w.outsider_p
    )
    access.grant_role(officer, actor=None, role=Role.DISCIPLINE_OFFICER, unit=w.unit_root)
    response = login(w.sam).post(
        reverse("ledger:accountability", args=[w.item.pk]),
        {
            "kind": "admonition_talk",
            "subject": "某处处长",
            "reason": "超期未落实",
            "decided_on": "2026-11-20",
        },
    )
    assert response.status_code == 302 and Accountability.objects.count() == 1
    assert "某处处长" in login(w.sam).get(reverse("ledger:item", args=[w.item.pk])).content.decode()
    assert (
        "某处处长" in login(officer).get(reverse("ledger:item", args=[w.item.pk])).content.decode()
    )
    assert (
        "某处处长"
        not in login(w.amy).get(reverse("ledger:item", args=[w.item.pk])).content.decode()
    )
    assert (
        "某处处长"
        not in login(w.una).get(reverse("ledger:item", args=[w.item.pk])).content.decode()
    )
    response = login(w.amy).post(
        reverse("ledger:accountability", args=[w.item.pk]),
        {"kind": "criticism", "subject": "x", "reason": "y", "decided_on": "2026-11-20"},
    )
    assert Accountability.objects.count() == 1
