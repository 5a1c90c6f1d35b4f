from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from conftest import make_member, make_user
from mofan.access.roles import Role
from mofan.orgs import services as orgs
from mofan.orgs.choices import OrgKind, UnitKind

TODAY = date(2026, 11, 20)
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def members_world(world, time_machine):
    """The world on 2026年11月20日, with a second organ (another tree: its committee, a branch C
    with its secretary dora and member 钱十) and the organ committee's general branch G, which
    keeps no members. Branch A has a quorate general meeting held on 2026年6月1日."""
    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=False)
    other = orgs.create_org(
        actor=None, parent=None, kind=OrgKind.COMMITTEE, code="R2", name="中共另一委员会"
    )
    branch_c = orgs.create_org(
        actor=None, parent=other, kind=OrgKind.BRANCH, code="C", name="另一机关第一党支部"
    )
    general = orgs.create_org(
        actor=None, parent=world.organ, kind=OrgKind.GENERAL_BRANCH, code="G", name="测试党总支"
    )
    unit_c = orgs.create_unit(
        actor=None, parent=None, kind=UnitKind.ORGAN, code="UC", name="另一部"
    )
    qian_p = make_member("钱十", unit_c, branch_c)
    dora = make_user("dora", qian_p, (Role.BRANCH_SECRETARY, branch_c))
    return SimpleNamespace(
        **vars(world), other=other, branch_c=branch_c, general=general, unit_c=unit_c,
        qian_p=qian_p, dora=dora,
    )  # fmt: skip


def held_assembly(org, day: date, *, quorate=True, created_by=None):
    """A held 支部党员大会 of the organisation on the day."""
    from mofan.access.models import User
    from mofan.meetings.choices import MeetingKind, MeetingState
    from mofan.meetings.models import Meeting

    created_by = created_by or User.objects.filter(username="alice").first()
    starts = datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI)
    return Meeting.objects.create(
        org=org,
        kind=MeetingKind.BRANCH_ASSEMBLY,
        title=f"{day.month}月支部党员大会",
        starts_at=starts,
        ends_at=starts.replace(hour=11),
        state=MeetingState.HELD,
        quorate=quorate,
        month_index=day.year * 12 + day.month - 1,
        created_by=created_by,
    )
