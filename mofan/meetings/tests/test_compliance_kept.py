"""The heat map reads compliance kept per organisation and month (issue 16): the kept rows equal a
count from scratch after every change the services make, a change of rules or organisations is
counted by the minute's job where a worker runs, and the nightly check finds a row gone wrong."""

from datetime import date

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from time_machine import travel

from conftest import make_member
from mofan.meetings import compliance, jobs, kept, services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.models import ComplianceMonth, ComplianceRecount, Meeting
from mofan.meetings.tests.conftest import at
from mofan.meetings.tests.test_compliance import _held
from mofan.orgs import services as orgs

pytestmark = pytest.mark.django_db
NOV = 2026 * 12 + 10


def _row(org, index=NOV):
    found = ComplianceMonth.objects.filter(org=org, month_index=index).first()
    return (found.required, found.met, found.back_filled) if found else None


def _agrees():
    kept.settle()
    assert kept.differences([2025, 2026]) == []


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_every_change_keeps_the_rows_equal_to_a_count_from_scratch(meeting_world, login):
    w = meeting_world
    _agrees()
    assert _row(w.branch_a) == (1, 0, 0)  # November: the theme day, not held yet
    # A meeting held and recorded: the organisation's year, in the same transaction.
    _held(w, MeetingKind.THEME_DAY, at(2026, 11, 5))
    assert not ComplianceRecount.objects.exists()
    assert _row(w.branch_a) == (1, 1, 1)  # recorded 15 days later: 补记录
    _agrees()
    # An assembly without quorum, then a mark that gives it one.
    assembly = _held(w, MeetingKind.BRANCH_ASSEMBLY, at(2026, 11, 10), present=[w.amy_p])
    december = 2026 * 12 + 11
    assert _row(w.branch_a, december)[1] == 0
    services.mark(assembly, w.alice_p, actor=w.carol, status="present")
    assert _row(w.branch_a, december)[1] == 1
    _agrees()
    # A stricter local rule, added by the org admin.
    services.add_local_rule(
        w.branch_a, actor=w.carol, kind="theme_day", org_kinds=["branch"], period="month",
        minimum=2, article="本机关规定：主题党日每月2次", effective_from=date(2026, 1, 1),
    )  # fmt: skip
    assert ComplianceRecount.objects.filter(org=w.branch_a, since_year=2026).exists()
    _agrees()
    assert _row(w.branch_a) == (2, 1, 2)
    # Organisations: one founded in November, one dissolved, a group given its first member.
    late = orgs.create_org(
        actor=None, parent=w.organ, kind="branch", code="A9", name="新成立支部",
        founded_on=date(2026, 11, 1),
    )  # fmt: skip
    group = orgs.create_org(
        actor=None, parent=w.branch_a, kind="group", code="A3", name="第三党小组"
    )
    _agrees()
    assert _row(late) == (1, 0, 0) and _row(late, NOV - 1) is None and _row(group) is None
    make_member("钱二", w.unit_a, group)
    _agrees()
    assert _row(group) == (1, 0, 0)
    orgs.dissolve_node(late, actor=None, on=date(2026, 11, 30))
    _agrees()


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_with_a_worker_a_rule_shows_after_the_minutes_job(meeting_world, login, settings):
    w = meeting_world
    kept.settle()
    settings.KEPT_BY_WORKER = True
    services.add_local_rule(
        w.branch_a, actor=w.carol, kind="theme_day", org_kinds=["branch"], period="month",
        minimum=2, article="本机关规定：主题党日每月2次", effective_from=date(2026, 1, 1),
    )  # fmt: skip
    client = login(w.carol)
    page = client.get("/meetings/compliance/", {"org": w.organ.pk, "year": 2026})
    assert page.status_code == 200
    assert _row(w.branch_a) == (1, 0, 0)  # the page read what is kept; the job has not run
    assert jobs.recount_compliance() == 1
    assert _row(w.branch_a) == (2, 0, 0)
    assert not ComplianceRecount.objects.exists()
    with CaptureQueriesContext(connection) as read:
        assert client.get("/meetings/compliance/", {"org": w.organ.pk}).status_code == 200
    # The engine's statement (the requirement rows) does not run on reading.
    assert not any("WITH req" in q["sql"] for q in read.captured_queries)


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_the_check_finds_a_meeting_written_past_the_services(meeting_world, capsys):
    w = meeting_world
    kept.settle()
    call_command("compliance_check", "--year", "2026")
    assert "一致" in capsys.readouterr().out
    meeting = _held(w, MeetingKind.THEME_DAY, at(2026, 11, 5))
    Meeting.objects.filter(pk=meeting.pk).update(kind=MeetingKind.PARTY_LECTURE)
    with pytest.raises(SystemExit) as ended:
        call_command("compliance_check", "--year", "2026")
    assert ended.value.code == 1
    shown = capsys.readouterr().out
    assert f"组织 {w.branch_a.pk}，2026年11月：应为 (1, 0, 1)，保存的是 (1, 1, 1)" in shown
    assert jobs.check_compliance() >= 1  # logged, then everything counted again
    assert kept.differences([2026]) == []


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_the_heat_map_and_its_api_page_by_organisation(meeting_world, login):
    w = meeting_world
    _held(w, MeetingKind.THEME_DAY, at(2026, 11, 5))
    client = login(w.carol)
    first = client.get(
        "/api/meeting-compliance/", {"org": w.organ.pk, "year": 2026, "page_size": 1}
    ).json()
    listed = list(compliance.listed_orgs(w.organ, 2026, date(2026, 11, 20)))
    assert first["count"] == len(listed) >= 2
    assert [row["org"] for row in first["rows"]] == [listed[0].pk]
    assert first["next"] and first["previous"] is None
    following = client.get(first["next"]).json()
    assert [row["org"] for row in following["rows"]] == [listed[1].pk]
    by_org = {row["org"]: row for row in first["rows"] + following["rows"]}
    assert by_org[w.branch_a.pk]["cells"][10]["status"] == compliance.MET
    # The page's totals are those of the whole subtree, whatever page is shown.
    page = client.get("/meetings/compliance/", {"org": w.organ.pk, "year": 2026})
    november = page.context["totals"][10]
    assert (
        november["due"] == sum(1 for org in listed if (_row(org) or (0,))[0] > 0)
        and november["met"] >= 1
    )


def test_a_user_of_another_organisation_reads_no_kept_compliance(meeting_world, login):
    w = meeting_world
    kept.settle()
    other = login(w.bob).get("/api/meeting-compliance/", {"org": w.branch_a.pk})
    assert other.status_code == 404
    page = login(w.bob).get("/meetings/compliance/", {"org": w.branch_a.pk})
    assert page.status_code == 404
