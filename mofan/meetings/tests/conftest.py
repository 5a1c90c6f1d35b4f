from datetime import date, datetime
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from mofan.orgs import services as orgs
from mofan.orgs.choices import PositionTitle

TZ = ZoneInfo("Asia/Shanghai")


def at(year, month, day, hour=9, minute=0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def national_rules(db):
    """The floor the migration loads. A transactional test (the browser walk-throughs) starts
    after another one's flush has emptied every table, the migration's rows included."""
    from mofan.meetings.models import MeetingRule
    from mofan.meetings.rules_national import ensure_national_rules

    ensure_national_rules(MeetingRule)


@pytest.fixture
def meeting_world(world):
    """Branch A (alice secretary, amy member) and branch B (bob secretary); alice is the
    secretary of record for branch A since 2020."""
    orgs.appoint(
        actor=None, person=world.alice_p, org=world.branch_a, title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
    )  # fmt: skip
    orgs.appoint(
        actor=None, person=world.bob_p, org=world.branch_b, title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
    )  # fmt: skip
    return SimpleNamespace(**vars(world))
