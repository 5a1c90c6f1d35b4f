from datetime import date
from types import SimpleNamespace

import pytest

from mofan.ledger import services
from mofan.ledger.choices import LedgerKind


@pytest.fixture
def in_late_2026(time_machine):
    """Today is 2026年11月20日 (the clock ticks on): for tests whose items carry fixed 2026
    deadlines and whose lights or parsed dates depend on today — they would turn red or move to
    the next year as the real calendar passes those deadlines."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    time_machine.move_to(datetime(2026, 11, 20, 10, 0, tzinfo=ZoneInfo("Asia/Shanghai")))


@pytest.fixture
def ledger_world(world):
    """sam supervises a ledger of the organ; item 1 is led by 办公厅 (unit_a) with 人事司 (unit_b)
    co-operating, owned by amy."""
    ledger = services.create_ledger(
        actor=world.sam,
        name="2026年重要指示批示落实台账",
        kind=LedgerKind.GENERAL,
        year=2026,
        unit=world.unit_root,
    )
    source = services.add_source(
        ledger,
        actor=world.sam,
        kind="directive",
        title="关于加强机关党建的批示",
        reference="批〔2026〕1号",
    )
    item = services.add_item(
        ledger,
        actor=world.sam,
        source=source,
        content="制定机关党建工作要点",
        lead_unit=world.unit_a,
        deadline=date(2026, 12, 31),
        report_cycle="monthly",
        co_units=[world.unit_b],
        owners=[world.amy_p],
        tags=["党建"],
    )
    return SimpleNamespace(ledger=ledger, source=source, item=item, **vars(world))
