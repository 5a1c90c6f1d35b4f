"""The large demo's files keep the rules they are measured against: steps in date order, none
before its earliest day, each stage with the steps it implies."""

from datetime import date

import pytest

from mofan.recruitment import rules
from mofan.recruitment.choices import Stage, StepKind
from mofan.recruitment.demo_large import LargeRecruitmentSeeder

TODAY = date(2026, 12, 3)


@pytest.mark.parametrize("stage", [Stage.APPLICANT, Stage.ACTIVIST, Stage.NOMINEE,
                                   Stage.PROBATIONARY, Stage.ENDED])  # fmt: skip
def test_planned_files_keep_the_rules(stage):
    seeder = LargeRecruitmentSeeder()
    for _ in range(300):
        joined = date(2026, 5, 10) if stage == Stage.PROBATIONARY else None
        file, steps = seeder._plan(stage, 1, 1, TODAY, joined)
        days = [on for _, on, _ in steps]
        assert days == sorted(days), steps
        assert all(on <= TODAY for on in days)
        kinds = [kind for kind, _, _ in steps]
        if stage != Stage.APPLICANT:
            assert kinds[:2] == [StepKind.TALK, StepKind.ACTIVIST]
        if file.nominee_on:
            assert file.nominee_on >= rules.add_months(file.activist_on, 12)
            assert kinds.count(StepKind.REVIEW) >= 2
        if stage == Stage.PROBATIONARY:
            assert file.probation_ends_on == date(2027, 5, 10)
            assert kinds[-2:] == [StepKind.ADMISSION, StepKind.APPROVAL]
        assert file.stage == stage
        if stage not in rules.LIVE:
            assert file.next_due_on is None
