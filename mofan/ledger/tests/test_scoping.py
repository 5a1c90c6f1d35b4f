import pytest

from mofan.access.scoping import Action
from mofan.ledger.models import Item, Ledger

pytestmark = pytest.mark.django_db


def _sees(user, w) -> bool:
    return Item.objects.restrict(user, Action.VIEW).filter(pk=w.item.pk).exists()


def test_supervisor_owner_and_co_unit_see_the_item(ledger_world):
    w = ledger_world
    assert _sees(w.sam, w)  # supervises the ledger
    assert _sees(w.amy, w)  # owner
    assert _sees(w.una, w)  # leader of 人事司, a co-unit


@pytest.mark.parametrize("persona", ["bob", "carol", "alice", "sysadmin", "secadmin", "auditor"])
def test_others_do_not(ledger_world, persona):
    w = ledger_world
    assert not _sees(getattr(w, persona), w)
    assert (
        not Ledger.objects.restrict(getattr(w, persona), Action.VIEW)
        .filter(pk=w.ledger.pk)
        .exists()
    )


def test_the_items_of_a_ledger_are_what_restrict_gives_each_persona(ledger_world):
    """restrict(ledger=…) lets a supervisor's condition go when he supervises the ledger; for
    everyone the items are those of restrict(VIEW) in that ledger."""
    from datetime import date

    from mofan.ledger import services

    w = ledger_world
    for n in range(3):
        services.add_item(
            w.ledger,
            actor=w.sam,
            content=f"事项{n}",
            lead_unit=w.unit_b,
            deadline=date(2026, 12, 31),
        )
    for persona in ("sam", "amy", "una", "bob", "alice", "auditor"):
        user = getattr(w, persona)
        ledger = Ledger.objects.with_supervision(user).get(pk=w.ledger.pk)
        seen = set(
            Item.objects.restrict(user, Action.VIEW, ledger=ledger).values_list("pk", flat=True)
        )
        expected = Item.objects.restrict(user, Action.VIEW).filter(ledger=w.ledger)
        assert seen == set(expected.values_list("pk", flat=True)), persona
        by_id = Item.objects.restrict(user, Action.VIEW, ledger=w.ledger.pk).values_list(
            "pk", flat=True
        )
        assert set(by_id) == seen, persona
        assert services.is_ledger_supervisor(user, ledger) == (persona == "sam")
    assert len(seen) == 0 and Item.objects.filter(ledger=w.ledger).count() == 4
    w.sam.is_active = False  # a supervisor whose account is off sees nothing, like restrict()
    assert not Item.objects.restrict(w.sam, Action.VIEW, ledger=w.ledger.pk).exists()


def test_only_supervisors_supervise_and_only_owners_handle(ledger_world):
    w = ledger_world
    assert list(Item.objects.restrict(w.sam, Action.SUPERVISE)) == [w.item]
    assert not Item.objects.restrict(w.amy, Action.SUPERVISE).exists()
    assert list(Item.objects.restrict(w.amy, Action.HANDLE)) == [w.item]
    assert not Item.objects.restrict(w.una, Action.HANDLE).exists()


def test_the_ledger_list_counts_only_the_items_one_sees(ledger_world, login):
    """Found by the cross-organisation probe: an owner saw how many items the whole ledger held,
    other units' included."""
    from mofan.ledger import services

    w = ledger_world
    for n in range(3):
        services.add_item(w.ledger, actor=w.sam, content=f"人事司事项{n}", lead_unit=w.unit_b)
    services.transition(w.item, "assign", actor=w.sam)

    def counts(user):
        page = login(user).get("/ledger/")
        (row,) = [shown for shown in page.context["ledgers"] if shown.pk == w.ledger.pk]
        return row.item_count, row.open_count

    assert counts(w.sam) == (4, 1)  # the supervisor: all four, one of them assigned
    assert counts(w.amy) == (1, 1)  # the owner: her own item only
