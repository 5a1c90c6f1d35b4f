from django.urls import clear_script_prefix, reverse, set_script_prefix

from mofan.core.links import link


def test_a_link_is_what_reverse_gives():
    for name, pk in [
        ("ledger:item", 7),
        ("ledger:item", 123456),
        ("meetings:meeting", 1),
        ("orgs:person_detail", 42),
        ("dashboard:home", None),
        ("orgs:roster", None),
    ]:
        expected = reverse(name, args=[pk]) if pk is not None else reverse(name)
        assert link(name, pk) == expected


def test_a_link_follows_the_script_prefix():
    set_script_prefix("/mofan/")
    try:
        assert (
            link("ledger:item", 5) == reverse("ledger:item", args=[5]) == "/mofan/ledger/items/5/"
        )
        assert link("orgs:roster") == reverse("orgs:roster")
    finally:
        clear_script_prefix()
    assert link("ledger:item", 5) == "/ledger/items/5/"
