"""The compliance engine: required against held per organisation and period, from the rules in
the database, respecting founding dates, committees, stricter local rules and the quorum."""

from datetime import date

import pytest
from time_machine import travel

from mofan.meetings import compliance, services
from mofan.meetings.choices import MeetingKind
from mofan.meetings.models import MeetingRule
from mofan.meetings.tests.conftest import at
from mofan.orgs.models import PartyOrg

Q4_END = 2026 * 12 + 11  # December 2026
NOV = 2026 * 12 + 10


def _held(w, kind, when, *, present=(), lecturer=None, org=None):
    org = org or w.branch_a
    meeting = services.plan_meeting(
        org, actor=w.carol, kind=kind, title=MeetingKind(kind).label, starts_at=when,
        ends_at=when.replace(hour=when.hour + 2), lecturer=lecturer,
    )  # fmt: skip
    for person in present:
        services.mark(meeting, person, actor=w.carol, status="present")
    return services.record_minutes(
        meeting, actor=w.carol, version=meeting.version, summary="已召开。"
    )


@pytest.mark.django_db
def test_the_national_floor_is_in_the_database():
    kinds = set(MeetingRule.objects.filter(is_floor=True).values_list("kind", "period"))
    assert ("branch_assembly", "quarter") in kinds and ("theme_day", "month") in kinds
    assert ("group_meeting", "month") in kinds and ("democratic_life_meeting", "year") in kinds
    assert MeetingRule.objects.filter(kind="party_lecture", by_secretary=True).exists()


@travel("2026-12-31 20:00:00+08:00", tick=False)
def test_a_theme_day_every_month_and_an_assembly_a_quarter_with_quorum(meeting_world):
    w = meeting_world
    _held(w, MeetingKind.THEME_DAY, at(2026, 11, 5))
    _held(w, MeetingKind.BRANCH_ASSEMBLY, at(2026, 10, 15), present=[w.amy_p])  # 1 of 2: no quorum
    found = compliance.counts(w.root, NOV, Q4_END)
    # November: the theme day is due and met; branch B has held nothing
    assert found[(w.branch_a.pk, NOV)] == (1, 1)
    assert found[(w.branch_b.pk, NOV)] == (1, 0)
    required, met = found[(w.branch_a.pk, Q4_END)]
    # December: theme day (no), assembly (held without quorum: no), lecture (no), lecture by the
    # secretary (no), org life meeting, appraisal, heart-to-heart (no): nothing met
    assert (required, met) == (7, 0)
    _held(w, MeetingKind.BRANCH_ASSEMBLY, at(2026, 12, 3), present=[w.amy_p, w.alice_p])
    assert compliance.counts(w.root, Q4_END, Q4_END)[(w.branch_a.pk, Q4_END)] == (7, 1)


@travel("2026-12-31 20:00:00+08:00", tick=False)
def test_the_secretarys_lecture_counts_for_the_yearly_rule_and_the_quarterly_one(meeting_world):
    w = meeting_world
    _held(w, MeetingKind.PARTY_LECTURE, at(2026, 12, 10), lecturer=w.alice_p)
    rules = {
        c.rule.by_secretary: c
        for c in compliance.checklist(w.branch_a, date(2026, 12, 31))
        if c.rule.kind == "party_lecture"
    }
    assert rules[True].met and rules[False].met
    _held(w, MeetingKind.PARTY_LECTURE, at(2026, 12, 11), lecturer=w.amy_p, org=w.branch_b)
    rules = {
        c.rule.by_secretary: c
        for c in compliance.checklist(w.branch_b, date(2026, 12, 31))
        if c.rule.kind == "party_lecture"
    }
    assert rules[False].met and not rules[True].met  # amy is not branch B's secretary


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_committee_and_founding_date_and_dissolution_are_respected(meeting_world):
    w = meeting_world
    PartyOrg.objects.filter(pk=w.branch_a.pk).update(has_committee=True)
    PartyOrg.objects.filter(pk=w.branch_b.pk).update(founded_on=date(2026, 12, 1))
    found = compliance.counts(w.root, NOV, NOV)
    assert found[(w.branch_a.pk, NOV)] == (2, 0)  # theme day + branch committee
    assert (w.branch_b.pk, NOV) not in found  # not founded yet
    PartyOrg.objects.filter(pk=w.branch_b.pk).update(
        founded_on=None, dissolved_on=date(2026, 10, 31)
    )
    assert (w.branch_b.pk, NOV) not in compliance.counts(w.root, NOV, NOV)


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_a_stricter_local_rule_applies_to_its_subtree_only(meeting_world):
    w = meeting_world
    MeetingRule.objects.create(
        kind="theme_day", org_kinds=["branch"], period="month", minimum=2,
        article="本机关规定：主题党日每月2次", effective_from=date(2026, 1, 1), org=w.branch_a,
    )  # fmt: skip
    _held(w, MeetingKind.THEME_DAY, at(2026, 11, 5))
    _held(w, MeetingKind.THEME_DAY, at(2026, 11, 5), org=w.branch_b)
    found = compliance.counts(w.root, NOV, NOV)
    assert found[(w.branch_a.pk, NOV)] == (2, 1)  # the national rule met, the local one not
    assert found[(w.branch_b.pk, NOV)] == (1, 1)


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_rules_in_force_on_each_date(meeting_world):
    w = meeting_world
    MeetingRule.objects.filter(kind="theme_day").update(effective_from=date(2026, 12, 1))
    assert (w.branch_a.pk, NOV) not in compliance.counts(w.root, NOV, NOV)


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_matrix_cells_and_the_checklist(meeting_world):
    w = meeting_world
    _held(w, MeetingKind.THEME_DAY, at(2026, 10, 5))
    grid = compliance.matrix(w.root, 2026, date(2026, 11, 20))
    rows = {row.org.pk: row for row in grid.rows}
    october, november, december = (rows[w.branch_a.pk].cells[m] for m in (9, 10, 11))
    assert october["status"] == compliance.MET
    assert november["status"] == compliance.OPEN  # due this month, not yet held
    assert december["status"] == compliance.FUTURE
    assert rows[w.branch_b.pk].cells[9]["status"] == compliance.UNMET
    checks = compliance.checklist(w.branch_a, date(2026, 11, 20))
    assert not checks[0].met
    messages = [c.message for c in checks]
    assert (
        "本季度尚未召开支部党员大会（须过半数应到党员出席）（已召开0次，至少1次），距季度末还有29个工作日"
        in messages
    )
    # an assembly held without a quorum is named, and not counted
    _held(w, MeetingKind.BRANCH_ASSEMBLY, at(2026, 11, 3))
    messages = [c.message for c in compliance.checklist(w.branch_a, date(2026, 11, 20))]
    assert (
        "本季度尚未召开支部党员大会（须过半数应到党员出席）（已召开0次，至少1次；"
        "另有1次出席未过半数，不计入），距季度末还有29个工作日" in messages
    )


@travel("2026-11-20 20:00:00+08:00", tick=False)
def test_heart_to_heart_is_owed_to_each_member_not_just_held_once(meeting_world, login):
    w = meeting_world
    today = date(2026, 11, 20)
    members = {p.pk for p in services.eligible_people(w.branch_a, "theme_day", today)}
    assert {w.amy_p.pk, w.alice_p.pk} <= members
    left = compliance.talks_left(w.branch_a, today, compliance.checklist(w.branch_a, today))
    assert left.count == len(members) and w.amy_p.name in left.names
    # one talk, with amy only: the yearly meeting count is met, yet the others are still owed
    _held(w, MeetingKind.HEART_TO_HEART, at(2026, 3, 2), present=[w.amy_p])
    checks = compliance.checklist(w.branch_a, today)
    assert next(c for c in checks if c.rule.kind == "heart_to_heart").met
    left = compliance.talks_left(w.branch_a, today, checks)
    assert left.count == len(members) - 1 and w.amy_p.name not in left.names
    assert left.message.startswith(f"2026年尚有{len(members) - 1}名党员未参加谈心谈话：")
    page = login(w.alice).get(f"/meetings/orgs/{w.branch_a.pk}/").content.decode()
    assert "未参加谈心谈话" in page and "第二十二条" in page
    # the committee above has no such rule: nothing to say
    assert compliance.talks_left(w.root, today, compliance.checklist(w.root, today)) is None


@travel("2026-12-31 20:00:00+08:00", tick=False)
def test_a_group_with_no_member_is_bound_by_no_rule(meeting_world):
    """Issue 10: an empty 党小组 was shown red every month."""
    from conftest import make_member
    from mofan.orgs import services as orgs

    w = meeting_world
    empty = orgs.create_org(
        actor=None, parent=w.branch_a, kind="group", code="A2", name="第一党支部第二党小组"
    )
    found = compliance.counts(w.root, NOV, NOV)
    assert (empty.pk, NOV) not in found
    make_member("钱一", w.unit_a, empty)
    assert compliance.counts(w.root, NOV, NOV)[(empty.pk, NOV)] == (1, 0)  # 党小组会, monthly


@travel("2026-12-31 20:00:00+08:00", tick=False)
def test_a_meeting_that_does_not_count_says_why(meeting_world, login):
    w = meeting_world
    short = _held(w, MeetingKind.BRANCH_ASSEMBLY, at(2026, 12, 3), present=[w.amy_p])
    lecture = _held(w, MeetingKind.PARTY_LECTURE, at(2026, 12, 10), lecturer=w.amy_p)
    rules = compliance.applicable_rules(w.branch_a, date(2026, 12, 1), date(2026, 12, 31))
    assert compliance.why_not_counted(short, rules) == "出席未过半数应到党员，不计入"
    assert compliance.why_not_counted(lecture, rules) == "非支部书记讲授，不计入“书记讲党课”"
    page = login(w.alice).get(f"/meetings/compliance/{w.branch_a.pk}/2026/12/").content.decode()
    assert "出席未过半数应到党员，不计入" in page
    assert "（须过半数应到党员出席）" in page


def test_a_committees_quorum_counts_its_members():
    rule = MeetingRule(kind=MeetingKind.BRANCH_COMMITTEE, quorum=True)
    assert rule.quorum_words == "须过半数委员出席"
    assert MeetingRule(kind=MeetingKind.BRANCH_ASSEMBLY, quorum=True).quorum_words == (
        "须过半数应到党员出席"
    )


@travel("2026-11-20 10:00:00+08:00", tick=False)
def test_checklist_month_detail_and_heat_map_agree_on_every_duty(meeting_world):
    """Issue 10: a duty was shown done in one place and not done in another. For every
    organisation and every month of the year — a 党小组 without members, a branch founded in
    November, one dissolved in October, a rule that starts mid-quarter — the month's detail says
    what the heat map counts, and the checklist of today's periods the same."""
    from conftest import make_member
    from mofan.orgs import services as orgs

    w = meeting_world
    orgs.create_org(actor=None, parent=w.branch_a, kind="group", code="A2", name="空党小组")
    late = orgs.create_org(
        actor=None, parent=w.organ, kind="branch", code="C", name="新成立党支部",
        founded_on=date(2026, 11, 10),
    )  # fmt: skip
    gone = orgs.create_org(
        actor=None, parent=w.organ, kind="branch", code="D", name="已撤销党支部",
        founded_on=date(2020, 1, 1),
    )  # fmt: skip
    make_member("钱一", w.unit_a, late)
    make_member("孙二", w.unit_a, gone)
    PartyOrg.objects.filter(pk=gone.pk).update(dissolved_on=date(2026, 10, 31))
    MeetingRule.objects.filter(kind="branch_committee").update(effective_from=date(2026, 11, 15))
    PartyOrg.objects.filter(pk=w.branch_a.pk).update(has_committee=True)
    _held(w, MeetingKind.THEME_DAY, at(2026, 10, 5))
    _held(w, MeetingKind.BRANCH_ASSEMBLY, at(2026, 11, 3))  # without a quorum
    _held(w, MeetingKind.THEME_DAY, at(2026, 11, 12), org=late)

    first, last = 2026 * 12, 2026 * 12 + 11
    counted = compliance.counts(w.root, first, last)
    for org in PartyOrg.objects.filter(path__startswith=w.root.path):
        for index in range(first, last + 1):
            due = compliance.due_in_month(org, index)
            shown = (len(due), sum(d["held"] >= d["rule"].minimum for d in due))
            assert counted.get((org.pk, index), (0, 0)) == shown, (org.name, index % 12 + 1)
    # Today's checklist: the periods running on 2026-11-20, against the heat map's figures.
    today = date(2026, 11, 20)
    now = 2026 * 12 + 10
    running = compliance._run(
        w.root,
        [(span, due, *compliance.span_bounds(due, span)) for span, due in ((1, now), (3, now + 1), (12, last))],
        "SELECT org_id, rule_id, done, minimum FROM checks",
        upto=now,
    )  # fmt: skip
    for org in PartyOrg.objects.filter(path__startswith=w.root.path):
        checks = compliance.checklist(org, today)
        mine = sorted((rule, done >= minimum) for o, rule, done, minimum in running if o == org.pk)
        assert sorted((c.rule.pk, c.met) for c in checks) == mine, org.name
    spans = {
        o.name: {compliance.SPANS[c.rule.period] for c in compliance.checklist(o, today)}
        for o in PartyOrg.objects.all()
    }
    assert spans["空党小组"] == set()
    assert spans["已撤销党支部"] == {3, 12}  # it lived in October: this quarter, not this month
    assert spans["新成立党支部"] == {1, 3, 12}
    # the committee rule starts on 15 November: it binds the fourth quarter of branch A
    branch_a = PartyOrg.objects.get(pk=w.branch_a.pk)
    assert any(c.rule.kind == "branch_committee" for c in compliance.checklist(branch_a, today))
