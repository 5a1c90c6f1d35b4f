"""Every main page has a short 操作说明 one click away, written for the user's role (issue 10)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

PAGES = [
    "dashboard:home",
    "dashboard:search",
    "ledger:list",
    "ledger:mine",
    "ledger:board",
    "meetings:home",
    "orgs:roster",
]


@pytest.mark.parametrize("name", PAGES)
def test_the_main_pages_have_help(world, login, name):
    page = login(world.sam).get(reverse(name)).content.decode()
    assert 'data-testid="help-button"' in page and 'id="page-help"' in page


def test_help_speaks_to_the_role(world, login):
    from conftest import make_member, make_user
    from mofan.access.roles import Role

    lian = make_user(
        "lian", make_member("钱联", world.unit_a, world.branch_a), (Role.LIAISON, world.unit_a)
    )
    assert "督办联络员" in login(lian).get(reverse("ledger:mine")).content.decode()
    assert (
        "<strong>督办联络员</strong>"
        not in login(world.amy).get(reverse("ledger:mine")).content.decode()
    )
    secretary = login(world.alice).get(reverse("dashboard:home")).content.decode()
    assert "本期待办" in secretary[secretary.index('id="page-help"') :]
    member = login(world.amy).get(reverse("dashboard:home")).content.decode()
    assert "本期待办" not in member[member.index('id="page-help"') :]


def test_a_page_without_help_has_no_button(world, login):
    page = login(world.sam).get(reverse("orgs:tree")).content.decode()
    assert 'data-testid="help-button"' not in page
