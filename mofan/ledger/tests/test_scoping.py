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


def test_only_supervisors_supervise_and_only_owners_handle(ledger_world):
    w = ledger_world
    assert list(Item.objects.restrict(w.sam, Action.SUPERVISE)) == [w.item]
    assert not Item.objects.restrict(w.amy, Action.SUPERVISE).exists()
    assert list(Item.objects.restrict(w.amy, Action.HANDLE)) == [w.item]
    assert not Item.objects.restrict(w.una, Action.HANDLE).exists()
