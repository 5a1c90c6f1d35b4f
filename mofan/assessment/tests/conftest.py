from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

SHANGHAI = ZoneInfo("Asia/Shanghai")


def build_scheme(world, actor=None, *, year=2026):
    """The organ committee's scheme for its branches: 100 points — three record-based indicators
    (组织生活 30, 组织设置 20, 谈心谈话 10) and one judgement (40) — plus a deduction (up to 10), a
    bonus (up to 5) and a veto."""
    from mofan.assessment import services

    scheme = services.create_scheme(
        actor=actor, org=world.organ, year=year, name="党支部党建工作考核", total="100",
        target_kinds=["branch"],
    )  # fmt: skip
    dims = {d.name: d for d in scheme.dimensions.all()}

    def add(dimension, name, kind, points, formula="", **params):
        scheme.refresh_from_db()
        return services.save_indicator(
            scheme, actor=actor, dimension=dims[dimension], name=name, kind=kind, points=points,
            formula=formula, params=params,
        )  # fmt: skip

    return SimpleNamespace(
        scheme=scheme,
        compliance=add("组织建设", "“三会一课”等组织生活按规定开展", "record", "30",
                       "meetings_compliance", per_miss="2"),
        setup=add("组织建设", "支部设置和按期换届", "record", "20", "org_setup", per_flag="10"),
        talks=add("思想建设", "谈心谈话全覆盖", "record", "10", "heart_to_heart"),
        duty=add("政治建设", "落实全面从严治党主体责任", "judgement", "40"),
        deduction=add("纪律建设", "违反中央八项规定精神问题", "deduction", "10"),
        bonus=add("作风建设", "工作经验被上级推广", "bonus", "5"),
        veto=add("纪律建设", "发生严重违纪违法问题", "veto", "0"),
    )  # fmt: skip


@pytest.fixture
def assess_world(world, time_machine):
    """The world on 2026年11月20日 with a heart-to-heart talk held in branch A with 张三."""
    from mofan.access.models import User
    from mofan.meetings.choices import AttendanceStatus, MeetingKind, MeetingState
    from mofan.meetings.models import Attendance, Meeting

    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=False)
    starts = datetime(2026, 9, 10, 15, 0, tzinfo=SHANGHAI)
    talk = Meeting.objects.create(
        org=world.branch_a, kind=MeetingKind.HEART_TO_HEART, title="9月谈心谈话",
        starts_at=starts, ends_at=starts.replace(hour=16), state=MeetingState.HELD,
        month_index=2026 * 12 + 8, present_count=1, expected_count=1,
        created_by=User.objects.get(username="alice"),
    )  # fmt: skip
    Attendance.objects.create(meeting=talk, person=world.alice_p, status=AttendanceStatus.PRESENT)
    return SimpleNamespace(**vars(world), talk=talk, today=date(2026, 11, 20))


@pytest.fixture
def running(assess_world):
    """A round of the scheme over branches A and B in self-assessment, 孙七 (sam) on the team."""
    from mofan.assessment import services
    from mofan.assessment.models import Target

    w = assess_world
    s = build_scheme(w, w.carol)
    round_ = services.start_round(
        s.scheme, actor=w.carol, title="2026年度党支部党建工作考核", self_due_on=date(2026, 12, 10),
        targets=[w.branch_a, w.branch_b], team=[w.sam],
    )  # fmt: skip
    w.s, w.round = s, round_
    w.a = Target.objects.get(round=round_, org=w.branch_a)
    w.b = Target.objects.get(round=round_, org=w.branch_b)
    return w


@pytest.fixture
def published(running):
    """The running round scored by the team and published: branch A 40 on the duty, B 20."""
    from mofan.assessment import services
    from mofan.assessment.models import Score

    w = running
    services.start_scoring(w.round, actor=w.carol)

    services.score_indicator(Score.objects.get(target=w.a, indicator=w.s.duty), actor=w.sam,
                             points="40")  # fmt: skip
    services.score_indicator(Score.objects.get(target=w.b, indicator=w.s.duty), actor=w.sam,
                             points="20", comment="落实不到位")  # fmt: skip
    services.publish(w.round, actor=w.carol)
    w.round.refresh_from_db()
    w.a.refresh_from_db()
    w.b.refresh_from_db()
    return w


@pytest.fixture
def debrief_world(assess_world):
    """The organ committee's 述职评议 of branches A (张三, secretary) and B (王五), 5 slips."""
    from mofan.assessment import debriefs
    from mofan.orgs.models import Position

    w = assess_world
    Position.objects.create(person=w.alice_p, org=w.branch_a, title="secretary",
                            started_on=date(2024, 1, 1))  # fmt: skip
    Position.objects.create(person=w.bob_p, org=w.branch_b, title="secretary",
                            started_on=date(2024, 1, 1))  # fmt: skip
    debrief = debriefs.create_debrief(
        actor=w.carol, org=w.organ, year=2026, title="2026年度党支部书记抓党建述职评议",
        held_on=date(2026, 11, 20), voters=5,
    )  # fmt: skip
    a = debriefs.add_debriefer(debrief, actor=w.carol, org=w.branch_a, person=w.alice_p)
    b = debriefs.add_debriefer(debrief, actor=w.carol, org=w.branch_b, person=w.bob_p)
    debrief.refresh_from_db()
    return SimpleNamespace(**vars(w), debrief=debrief, da=a, db=b,
                           codes=debriefs.slip_codes(debrief))  # fmt: skip


@pytest.fixture
def capped(assess_world):
    """The root committee caps each organisation below it at 2 a year (2026); 机关党委 (carol)
    runs checks on its branches."""
    from conftest import make_user
    from mofan.access.roles import Role
    from mofan.assessment import registry

    w = assess_world
    w.rooter = make_user("rooter", None, (Role.ORG_ADMIN, w.root))
    w.cap = registry.set_cap(w.root, actor=w.rooter, year=2026, cap="2")
    return w
