"""Units, organisations and people are chosen by name: the picker's search and the fields behind
it, both on the scoping gate (issue 10, "Names, not codes")."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from mofan.access.scoping import Action
from mofan.ledger import services as ledger_services
from mofan.ledger.forms import ItemForm
from mofan.orgs import names, pickers, services
from mofan.orgs.models import PartyOrg, Unit

pytestmark = pytest.mark.django_db


def _pick(client, kind, **params):
    response = client.get(reverse("orgs:pick", args=[kind]), params)
    return response.status_code, [r["text"] for r in response.json().get("results", [])]


def test_search_keys_hold_the_initials_of_every_name():
    assert names.search_keys("办公厅", "厅办", "党办、秘书处") == "bgt tb db msc"
    assert names.search_keys("人事司", "人事司", "") == "rss"


@pytest.mark.parametrize(
    "typed", ["办公厅", "办公", "厅办", "bgt", "BG", "tb", "UA", "ua", "综合秘书处", "zhmsc"]
)
def test_a_unit_is_found_by_name_short_name_alias_initials_or_code(world, login, typed):
    services.update_unit(
        world.unit_a,
        actor=None,
        version=world.unit_a.version,
        short_name="厅办",
        aliases="综合秘书处",
    )
    status, found = _pick(login(world.sam), "units", q=typed)
    assert status == 200 and found[0] == "办公厅"
    assert "人事司" not in found


def test_an_exact_name_comes_before_longer_ones(world, login):
    services.create_unit(
        actor=None, parent=world.unit_a, kind="division", code="UA1", name="办公厅秘书处"
    )
    _, found = _pick(login(world.sam), "units", q="办公厅")
    assert found == ["办公厅", "办公厅秘书处"]


def test_a_renamed_unit_is_found_by_its_new_initials(world, login):
    services.update_unit(world.unit_b, actor=None, version=world.unit_b.version, name="组织人事司")
    assert Unit.objects.get(pk=world.unit_b.pk).search_keys == "zzrss"
    _, found = _pick(login(world.sam), "units", q="zzrs")
    assert found == ["组织人事司"]


def test_dissolved_units_are_not_offered(world, login):
    services.create_unit(
        actor=None, parent=world.unit_root, kind="department", code="UX", name="已撤司"
    )
    Unit.objects.filter(code="UX").update(dissolved_on="2026-01-01")
    _, found = _pick(login(world.sam), "units", q="已撤")
    assert found == []


def test_within_narrows_to_a_subtree(world, login):
    _, found = _pick(login(world.sam), "units", within=world.unit_a.pk)
    assert found == ["办公厅"]


def test_people_are_found_by_name_or_pinyin_among_those_one_may_see(world, login):
    _, found = _pick(login(world.carol), "people", q="zs")
    assert found == ["张三"]
    _, found = _pick(login(world.carol), "people", q="张")
    assert found == ["张三"]
    # A branch secretary of the other branch does not find 张三 of branch A, by name or pinyin.
    for typed in ("张三", "zs", "zhangsan"):
        assert _pick(login(world.bob), "people", q=typed) == (200, [])
    # An ordinary member finds only themselves.
    _, found = _pick(login(world.amy), "people")
    assert found == ["李四"]


def test_people_with_an_account_within_a_unit(world, login):
    client = login(world.carol)
    _, everyone = _pick(client, "people", within=world.unit_b.pk)
    _, with_account = _pick(client, "people", within=world.unit_b.pk, account=1)
    # 周八 has no party record under carol's committee; 吴九 has no account.
    assert set(everyone) == {"王五", "赵六", "孙七", "吴九"}
    assert set(with_account) == {"王五", "赵六", "孙七"}  # bob, carol and sam sign in


def test_organisations_by_the_action_asked(world, login):
    carol = login(world.carol)  # org admin of the organ committee
    _, found = _pick(carol, "orgs", action="change", q="党支部")
    assert found == ["第一党支部", "第二党支部", "第一党支部第一党小组"]
    _, found = _pick(carol, "orgs", action="change", q="测试")
    assert found == ["中共测试机关委员会"]  # not the root above the committee
    _, found = _pick(login(world.bob), "orgs", action="change", q="第一")
    assert found == []


@pytest.mark.parametrize(
    ("kind", "params", "status"),
    [
        ("units", {"action": "administer"}, 400),
        ("units", {"action": "nonsense"}, 400),
        ("people", {"action": "choose"}, 400),
        ("units", {"within": "abc"}, 400),
        ("units", {"within": "999999"}, 400),
        ("robots", {}, 404),
    ],
)
def test_bad_picker_requests_are_refused_in_chinese(world, login, kind, params, status):
    response = login(world.sam).get(reverse("orgs:pick", args=[kind]), params)
    assert response.status_code == status
    if status == 400:
        assert any("\u4e00" <= ch <= "\u9fff" for ch in response.json()["detail"])


def test_an_anonymous_user_gets_nothing(world, client):
    response = client.get(reverse("orgs:pick", args=["people"]), {"q": "zs"})
    assert response.status_code in (302, 403) and "张三" not in response.content.decode()


def test_the_auditor_chooses_no_unit_and_sees_no_person(world, login):
    client = login(world.auditor)
    assert _pick(client, "units") == (200, [])
    assert _pick(client, "people") == (200, [])


def test_at_most_thirty_matches_are_sent(world, login):
    for index in range(40):
        services.create_unit(
            actor=None,
            parent=world.unit_root,
            kind="department",
            code=f"D{index}",
            name=f"第{index}司",
        )
    _, found = _pick(login(world.sam), "units", q="司")
    assert len(found) == pickers.LIMIT


# --- the form fields ------------------------------------------------------------------------


@pytest.fixture
def ledger(world):
    return ledger_services.create_ledger(
        actor=world.sam, name="台账", kind="general", year=2026, unit=world.unit_b, description=""
    )


def test_an_owner_outside_the_ledgers_unit_is_refused_by_the_form(world, ledger):
    form = ItemForm(
        {"content": "x", "report_cycle": "monthly", "owners": [world.amy_p.pk]},
        ledger=ledger,
        user=world.sam,
    )
    assert not form.is_valid()
    assert "不在您可选择的范围内" in form.errors["owners"][0]
    form = ItemForm(
        {"content": "x", "report_cycle": "monthly", "owners": [world.bob_p.pk]},
        ledger=ledger,
        user=world.sam,
    )
    assert form.is_valid(), form.errors
    assert list(form.cleaned_data["owners"]) == [world.bob_p]


def test_the_form_renders_only_the_chosen_people_in_constant_queries(world, ledger):
    def render(owners):
        form = ItemForm(initial={"owners": owners}, ledger=ledger, user=world.sam)
        with CaptureQueriesContext(connection) as queries:
            html = str(form["owners"])
        return html, len(queries)

    html_one, one = render([world.bob_p.pk])
    html_three, three = render([world.bob_p.pk, world.carol_p.pk, world.sam_p.pk])
    assert html_one.count("<option") == 1 and "王五" in html_one and "赵六" not in html_one
    assert html_three.count("<option") == 3
    assert one == three
    assert f"within={world.unit_b.pk}" in html_one and "account=1" in html_one


def test_the_picker_searches_what_the_field_accepts(world):
    field = pickers.PickerField(kind="orgs").bind(world.carol, action=Action.CHANGE)
    assert set(field.queryset) == set(
        PartyOrg.objects.restrict(world.carol, Action.CHANGE).active()
    )


def test_the_roster_and_people_lists_filter_by_a_picked_organisation_or_unit(world, login):
    client = login(world.carol)
    page = client.get(reverse("orgs:roster"), {"org": world.branch_a.pk})
    html = page.content.decode()
    assert f'<option value="{world.branch_a.pk}" selected>第一党支部</option>' in html
    assert "/orgs/pick/orgs/?action=browse" in html
    names = {m.person.name for m in page.context["page"].object_list}
    assert names == {"张三", "李四"}
    # a leader of 人事司 browses its unit
    page = login(world.una).get(reverse("orgs:people"), {"unit": world.unit_b.pk})
    assert f'<option value="{world.unit_b.pk}" selected>人事司</option>' in page.content.decode()


def test_initials_of_a_whole_name_come_before_the_names_they_begin(world, login):
    """“bgt” typed: 示范部办公厅 (short name 办公厅) first, then 办公厅综合处 whose full name
    merely begins with those initials (the walk's search showed them the other way round)."""
    office = services.create_unit(
        actor=None, parent=None, code="SFB-BGT", name="示范部办公厅",
        short_name="办公厅", kind=world.unit_a.kind,
    )  # fmt: skip
    services.create_unit(
        actor=None, parent=office, code="SFB-BGT-ZHC", name="办公厅综合处", kind=world.unit_a.kind
    )
    status, found = _pick(login(world.sam), "units", q="bgt")
    assert status == 200
    assert found.index("示范部办公厅") < found.index("办公厅综合处")
