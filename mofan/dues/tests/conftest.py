from datetime import date
from decimal import Decimal
from types import SimpleNamespace

import pytest

from conftest import make_user
from mofan.access.roles import Role


@pytest.fixture
def brackets(db):
    """The national brackets the migration loads (a transactional test may have flushed them)."""
    from mofan.dues.models import DuesRule
    from mofan.dues.rules_national import ensure_national_brackets

    ensure_national_brackets(DuesRule)


@pytest.fixture
def dues_world(world, brackets):
    """The world with a collector of branch A (cora), and bases for amy (5,000 yuan, salaried)
    and alice (retired, 4,000) from January 2026."""
    from mofan.dues import services

    cora = make_user("cora", None, (Role.DUES_COLLECTOR, world.branch_a))
    services.record_base(
        world.amy_p, actor=None, starts_on=date(2026, 1, 1), category="salaried",
        monthly_income=Decimal("5000"),
    )  # fmt: skip
    services.record_base(
        world.alice_p, actor=None, starts_on=date(2026, 1, 1), category="retired",
        monthly_income=Decimal("4000"),
    )  # fmt: skip
    return SimpleNamespace(**vars(world), cora=cora)
