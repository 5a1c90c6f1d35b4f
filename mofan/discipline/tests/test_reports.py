"""个人有关事项报告: the round and its roster, the cadre's own report, the late list, the
reproducible random draw, key checks; 谈话 and 述责述廉 records."""

from datetime import date, datetime

import pytest
from django.db import connection
from django.urls import reverse

from mofan.core.errors import InvalidInput
from mofan.discipline import records, reports
from mofan.discipline.choices import REPORT_ITEMS
from mofan.discipline.models import Check, PersonalReport
from mofan.discipline.tests.conftest import SHANGHAI
from mofan.orgs.models import Person

pytestmark = pytest.mark.django_db

ANSWERS = {key: "无" for key, _ in REPORT_ITEMS} | {"income": "工资收入约25万元。"}


def _round(w, ranks=("二级调研员",)):
    Person.objects.filter(pk__in=[w.alice_p.pk, w.bob_p.pk, w.carol_p.pk]).update(rank="二级调研员")
    return reports.open_round(w.organ, actor=w.qian, year=2026, ranks=list(ranks))


def test_the_round_names_who_must_report_and_the_cadre_reports_their_own(dworld, client, login,
                                                                         django_capture_on_commit_callbacks):  # fmt: skip
    from mofan.notify.models import Notification

    w = dworld
    with django_capture_on_commit_callbacks(execute=True):
        round_ = _round(w)
    assert round_.due_on == date(2027, 1, 31)
    assert sorted(round_.reports.values_list("person__name", flat=True)) == ["张三", "王五", "赵六"]
    assert Notification.objects.filter(user=w.alice, kind="discipline").count() == 1
    with pytest.raises(InvalidInput, match="已组织2026年度"):
        reports.open_round(w.organ, actor=w.qian, year=2026, ranks=["二级调研员"])
    mine = round_.reports.get(person=w.alice_p)
    url = reverse("discipline:report", args=[mine.pk])
    login(w.alice)
    incomplete = client.post(url, {"version": mine.version, "marriage": "已婚"})
    assert incomplete.status_code == 400
    response = client.post(url, {"version": mine.version, **ANSWERS})
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.submitted_at is not None and reports.items_of(mine)[5] == (
        "本人工资及各类奖金、津贴、补贴等收入", "工资收入约25万元。")  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT items FROM discipline_personalreport WHERE id = %s", [mine.pk])
        assert "25万" not in cursor.fetchone()[0]
    # Another cadre's report is not theirs to read; the officer reads every one.
    other = round_.reports.get(person=w.bob_p)
    assert client.get(reverse("discipline:report", args=[other.pk])).status_code == 404
    login(w.qian)
    assert "工资收入约25万元" in client.get(url).content.decode()
    assert client.post(url, {"version": mine.version, **ANSWERS}).status_code == 404
    # Late: after 31 January those who have not reported are listed; a closed round refuses.
    assert list(reports.late(round_, date(2027, 1, 31))) == []
    assert sorted(r.person.name for r in reports.late(round_, date(2027, 2, 1))) == ["王五", "赵六"]
    reports.close_round(round_, actor=w.qian)
    with pytest.raises(InvalidInput, match="已结束"):
        reports.submit(other, actor=w.bob, items=ANSWERS)


def test_the_random_draw_is_reproducible_from_its_seed_and_roster(dworld):
    w = dworld
    round_ = _round(w)
    for report in round_.reports.all():
        reports.submit(report, actor=w.qian, items=ANSWERS)
    ids = sorted(round_.reports.values_list("pk", flat=True))
    assert reports.drawn("会议现场抽签", ids, 50) == reports.drawn(
        "会议现场抽签", list(reversed(ids)), 50
    )
    assert len(reports.drawn("x", list(range(1, 101)), 10)) == 10
    assert reports.drawn("x", list(range(1, 101)), 10) != reports.drawn(
        "y", list(range(1, 101)), 10
    )
    made = reports.draw(round_, actor=w.qian, share=34, seed="会议现场抽签")
    assert made.roster == ids and len(made.drawn) == 1 and reports.redo(made)
    assert made.drawn == reports.drawn("会议现场抽签", ids, 34)
    check = Check.objects.get(draw=made)
    # Those drawn are not drawn again this year.
    second = reports.draw(round_, actor=w.qian, share=100)
    assert set(second.drawn) == set(ids) - set(made.drawn)
    with pytest.raises(InvalidInput, match="漏报、瞒报|处理情况"):
        reports.conclude_check(
            check, actor=w.qian, outcome="omitted", handling="", on=date(2026, 11, 20)
        )
    reports.conclude_check(check, actor=w.qian, outcome="omitted", on=date(2026, 11, 20),
                           handling="漏报一处房产，予以批评教育并责令补报。")  # fmt: skip
    with pytest.raises(InvalidInput, match="抽查比例"):
        reports.draw(round_, actor=w.qian, share=0)


def test_a_key_check_and_nobody_checks_their_own_report(dworld, client, login):
    w = dworld
    round_ = _round(w)
    mine = (
        round_.reports.get(person=w.qian_p)
        if round_.reports.filter(person=w.qian_p).exists()
        else None
    )
    assert mine is None  # 钱纪检 is not of the ranks
    alice = round_.reports.get(person=w.alice_p)
    with pytest.raises(InvalidInput, match="尚未报送"):
        reports.key_check(alice, actor=w.qian, reason="拟提拔任用前查核")
    reports.submit(alice, actor=w.alice, items=ANSWERS)
    check = reports.key_check(alice, actor=w.qian, reason="拟提拔任用前查核")
    assert check.kind == "key"
    # 张三 as a discipline officer still does not see the check of their own report.
    from mofan.access.models import RoleAssignment
    from mofan.access.scoping import Action

    RoleAssignment.objects.create(user=w.alice, role="discipline_officer", org=w.organ)
    w.alice = type(w.alice).objects.get(pk=w.alice.pk)
    assert not Check.objects.restrict(w.alice, Action.VIEW).exists()
    assert Check.objects.restrict(w.qian, Action.VIEW).count() == 1
    login(w.feng)
    url = reverse("discipline:report_round", args=[round_.pk])
    assert client.get(url).status_code == 404
    login(w.qian)
    page = client.get(url).content.decode()
    assert "张三" in page and "重点查核" in page


def test_talks_and_duty_reports_are_kept_by_the_officers(dworld, client, login, time_machine):
    w = dworld
    talk = records.record_talk(w.organ, actor=w.qian, kind="integrity", person=w.alice_p,
                               talker=w.bob_p, held_on=date(2026, 11, 18),
                               record="对新任职干部进行廉政谈话，提出三点要求。")  # fmt: skip
    with pytest.raises(InvalidInput, match="同一人"):
        records.record_talk(w.organ, actor=w.qian, kind="integrity", person=w.bob_p,
                            talker=w.bob_p, held_on=date(2026, 11, 18), record="谈话内容内容。")  # fmt: skip
    records.record_duty_report(w.organ, actor=w.qian, person=w.bob_p, year=2026,
                               text="本年度认真履行全面从严治党主体责任，落实一岗双责，廉洁自律情况良好。")  # fmt: skip
    with pytest.raises(InvalidInput, match="已经登记"):
        records.record_duty_report(w.organ, actor=w.qian, person=w.bob_p, year=2026,
                                   text="本年度认真履行全面从严治党主体责任，落实一岗双责。")  # fmt: skip
    with pytest.raises(InvalidInput, match="纪检干部"):
        records.record_talk(w.organ, actor=w.carol, kind="integrity", person=w.alice_p,
                            talker=w.bob_p, held_on=date(2026, 11, 18), record="谈话内容内容。")  # fmt: skip
    login(w.qian)
    page = client.get(reverse("discipline:talks")).content.decode()
    assert "提出三点要求" in page and "一岗双责" in page
    login(w.feng)  # the root committee's officer keeps the root's records, not these
    page = client.get(reverse("discipline:talks")).content.decode()
    assert "提出三点要求" not in page and "一岗双责" not in page
    for other in (w.carol, w.alice):
        login(other)
        assert client.get(reverse("discipline:talks")).status_code == 404
    assert talk.pk
    time_machine.move_to(datetime(2027, 2, 2, 10, 0, tzinfo=SHANGHAI), tick=False)
    assert PersonalReport.objects.count() == 0
