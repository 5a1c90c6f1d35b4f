import pytest
from django.core.management import call_command

from mofan.access.models import User
from mofan.orgs import stats
from mofan.orgs.demo.seed import Seeder
from mofan.orgs.models import Membership, PartyOrg, Person, Unit
from mofan.orgs.validation import id_number_error

pytestmark = pytest.mark.django_db


def test_small_demo_is_realistic_idempotent_and_has_every_persona(capsys):
    call_command("seed_demo", "--scale", "small", "--quiet")
    counts = (
        Unit.objects.count(),
        PartyOrg.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
    )
    assert counts[2] == 300
    assert set(PartyOrg.objects.values_list("depth", flat=True)) == {1, 2, 3, 4, 5}
    call_command("seed_demo", "--scale", "small", "--quiet")
    assert (
        Unit.objects.count(),
        PartyOrg.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
    ) == counts
    out = capsys.readouterr().out
    assert "已存在，跳过" in out
    for username in (
        "shuji_a",
        "dangyuan_a",
        "shuji_b",
        "dangjian",
        "duban",
        "lingdao",
        "jijian",
        "xitong",
        "anquan",
        "shenji",
    ):
        assert username in out
        assert User.objects.filter(username=username).exists()
    assert all(id_number_error(p.id_number) is None for p in Person.objects.all()[:50])
    from mofan.ledger.models import Item

    states = set(Item.objects.values_list("state", flat=True))
    assert states == {"draft", "assigned", "accepted", "in_progress", "done", "closed"}
    lights = set(Item.objects.with_light().values_list("light", flat=True))
    assert {"red", "yellow", "green", "none"} <= lights
    from mofan.ledger.models import Decomposition

    waiting = Decomposition.objects.get()  # a document waiting for review, units matched
    assert waiting.candidates.count() >= 10
    assert waiting.candidates.filter(lead_unit__code="DEMO-U01").exists()  # 办公厅
    from mofan.assessment.models import Debrief

    vote = Debrief.objects.get()  # a 述职评议 open, with secretaries to grade and ballots cast
    assert vote.state == "open" and vote.debriefers.count() >= 2
    assert vote.slips.filter(spent=True).count() == 12
    root = PartyOrg.objects.get(code="DEMO-P0")
    assert stats.subtree_member_count(root) == Membership.objects.filter(status="normal").count()
    # The README's demo table names each login as the app shows it.
    import re
    from pathlib import Path

    from mofan.orgs.demo.seed import personas_table

    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    for row in personas_table():
        if row["username"] in ("xitong", "anquan", "shenji"):
            continue
        assert re.search(rf"\| `{row['username']}` \| {row['name']} \|", readme), row
    assert "lianluo" in out and User.objects.get(
        username="lianluo"
    ).role_assignments.get().role == ("liaison")


def test_demo_data_is_deterministic():
    first = Seeder("small")
    second = Seeder("small")
    assert [first._name() for _ in range(20)] == [second._name() for _ in range(20)]
