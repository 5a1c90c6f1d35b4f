"""The demo seeders build what they say: the large one a 60-indicator scheme that adds up and a
round over every organisation below the national committee; the small one a round in
self-assessment with one self-assessment written."""

import pytest

from mofan.assessment import services
from mofan.assessment.demo_large import LargeAssessmentSeeder
from mofan.assessment.models import Round, Score
from mofan.orgs import services as orgs

pytestmark = pytest.mark.django_db


def test_the_large_scheme_adds_up_and_its_round_covers_the_tree(world, time_machine):
    from datetime import datetime
    from zoneinfo import ZoneInfo

    time_machine.move_to(datetime(2026, 12, 3, 10, tzinfo=ZoneInfo("Asia/Shanghai")), tick=False)
    root = orgs.create_org(actor=None, parent=None, kind="committee", code="NAT-P0",
                           name="中共全国示范系统委员会")  # fmt: skip
    below = [orgs.create_org(actor=None, parent=root, kind="branch", code=f"NAT-B{n}",
                             name=f"示范第{n}党支部") for n in range(3)]  # fmt: skip
    seeder = LargeAssessmentSeeder()
    assert not seeder.already_seeded()
    counts = seeder.run()
    assert counts == {"indicators": 60, "targets": len(below)}
    round_ = Round.objects.get()
    assert services.problems_of(round_.scheme) == []
    assert Score.objects.filter(target__round=round_).count() == 60 * len(below)
    assert Score.objects.filter(target__round=round_, indicator__kind="record",
                                points__isnull=True).count() == 0  # fmt: skip
    assert seeder.already_seeded()
