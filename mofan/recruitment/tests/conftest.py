from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from conftest import make_person

SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def recruit_world(world, time_machine):
    """The world on 2026年11月20日 with 陈一 (born 1998), not a member, of 办公厅; branch A has
    two more full members, 钱二 and 孙三: with 张三 and 李四, four entitled to vote."""
    from conftest import make_member

    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=SHANGHAI), tick=False)
    chen = make_person("陈一", world.unit_a, birth=date(1998, 4, 5))
    qian = make_member("钱二", world.unit_a, world.branch_a)
    sun = make_member("孙三", world.unit_a, world.branch_a)
    young = make_person("赵小", world.unit_a, birth=date(2009, 1, 1))
    return SimpleNamespace(**vars(world), chen=chen, qian=qian, sun=sun, young=young)


def assembly(org, day: date, *, created_by=None):
    from mofan.access.models import User
    from mofan.meetings.choices import MeetingKind, MeetingState
    from mofan.meetings.models import Meeting

    starts = datetime(day.year, day.month, day.day, 9, 0, tzinfo=SHANGHAI)
    return Meeting.objects.create(
        org=org, kind=MeetingKind.BRANCH_ASSEMBLY, title=f"{day.month}月{day.day}日支部党员大会",
        starts_at=starts, ends_at=starts.replace(hour=11), state=MeetingState.HELD, quorate=True,
        month_index=day.year * 12 + day.month - 1,
        created_by=created_by or User.objects.get(username="alice"),
    )  # fmt: skip
