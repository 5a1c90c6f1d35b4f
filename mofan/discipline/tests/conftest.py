"""The 监督执纪 test world: 钱纪检 is the organ committee's discipline officer, 冯纪检 the root
committee's (both members of branch B, as a 纪检委员 is); the organ committee is set up in
测试部 (so its cadres are everyone there)."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from mofan.access.roles import Role
from mofan.orgs.models import PartyOrg

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def dworld(world, time_machine):
    from conftest import make_member, make_person, make_user

    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=False)
    w = world
    PartyOrg.objects.filter(pk=w.organ.pk).update(unit=w.unit_root)
    w.organ.refresh_from_db()
    w.qian_p = make_member("钱纪检", w.unit_root, w.branch_b)
    w.qian = make_user("qian", w.qian_p, (Role.DISCIPLINE_OFFICER, w.organ))
    w.feng = make_user(
        "feng", make_person("冯纪检", w.unit_root), (Role.DISCIPLINE_OFFICER, w.root)
    )
    w.sun_p = make_member("孙纪检", w.unit_root, w.branch_b)
    return w
