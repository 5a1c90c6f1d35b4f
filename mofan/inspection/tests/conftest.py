"""The 巡视巡察 test world."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mofan.access.roles import Role
from mofan.inspection import services
from mofan.orgs.models import PartyOrg

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def inspect_world(world, time_machine):
    """The organ committee inspects its branches: 钱纪检 is its discipline officer, 冯纪检 the
    root committee's; branch A is set up in 办公厅, branch B in 人事司. A plan for 2026–2030 and a
    regular round with 第一巡察组 (王五 of 人事司 leads it) over branch A."""
    from conftest import make_person, make_user

    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=False)
    w = world
    PartyOrg.objects.filter(pk=w.branch_a.pk).update(unit=w.unit_a)
    PartyOrg.objects.filter(pk=w.branch_b.pk).update(unit=w.unit_b)
    for org in (w.branch_a, w.branch_b):
        org.refresh_from_db()
    w.qian_p = make_person("钱纪检", w.unit_root)
    w.qian = make_user("qian", w.qian_p, (Role.DISCIPLINE_OFFICER, w.organ))
    w.feng = make_user(
        "feng", make_person("冯纪检", w.unit_root), (Role.DISCIPLINE_OFFICER, w.root)
    )
    w.plan = services.create_plan(w.organ, actor=w.qian, title="2026—2030年巡察工作规划",
                                  first_year=2026, last_year=2030)  # fmt: skip
    w.round = services.create_round(w.organ, actor=w.qian, kind="regular", year=2026,
                                    title="2026年第一轮巡察", plan=w.plan)  # fmt: skip
    w.team = services.add_team(w.round, actor=w.qian, name="第一巡察组", phone="010-12345678",
                               mailbox="xuncha1@example.org")  # fmt: skip
    services.add_member(w.team, actor=w.qian, person=w.bob_p, role="leader")
    w.target = services.add_target(w.round, actor=w.qian, org=w.branch_a, team=w.team)
    return w
