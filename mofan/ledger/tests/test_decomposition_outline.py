"""任务分解 that keeps the document's outline (a 一、 section with its 1. 2. items becomes an item
with sub-items, when the supervisor chooses it), and owners the document names by role matched
to the people of the lead unit who hold that role, for the supervisor to confirm."""

from datetime import date

import pytest
from django.urls import reverse

from mofan.core.errors import InvalidInput
from mofan.ledger import decomposition as decomposing
from mofan.ledger import roles
from mofan.ledger.choices import CandidateStatus
from mofan.ledger.models import Candidate, Item
from mofan.orgs.choices import PositionTitle
from mofan.orgs.models import Person, Position

PLAN = """关于推进模范机关建设的工作方案
一、强化政治建设
1．深入学习贯彻党的二十大精神，6月底前完成专题培训。（牵头单位：办公厅；责任人：分管领导）
2．健全第一议题制度，9月底前印发实施办法。（牵头单位：办公厅；责任人：主要负责同志）
二、加强队伍建设
1．开展干部轮训，年底前完成。（牵头单位：人事司；责任人：班子成员）
三、严明工作纪律
1．开展作风纪律专项整治，11月底前完成。（牵头单位：人事司）
2．组织警示教育，10月底前完成。（牵头单位：办公厅）"""


@pytest.fixture
def titled(ledger_world):
    """办公厅: 张三 主任 (head), 李四 副主任 (deputy); 人事司: 王五 司长, 赵六 副司长, 孙七 处长,
    周八 副司长 without an account."""
    w = ledger_world
    for person, title in (
        (w.alice_p, "主任"),
        (w.amy_p, "副主任"),
        (w.bob_p, "司长"),
        (w.carol_p, "副司长"),
        (w.sam_p, "处长"),
        (w.una_p, "副司长"),
    ):
        Person.objects.filter(pk=person.pk).update(job_title=title)
    w.una.person = None
    w.una.save()
    return w


def _start(world):
    return decomposing.start(world.ledger, actor=world.sam, pasted=PLAN, on=date(2026, 3, 1))


def _accept_all(world, started):
    decomposing.review_all(started, actor=world.sam, status=CandidateStatus.ACCEPTED)


# -- roles -------------------------------------------------------------------------------------


def test_roles_are_matched_to_who_holds_them_in_the_unit(titled):
    w = titled
    holders = roles.Holders([w.unit_a.pk, w.unit_b.pk])
    by = {p.pk: p.name for p in Person.objects.all()}

    def names(text, unit):
        return [by[pk] for pk in holders.match(text, unit.pk).people]

    assert names("分管领导", w.unit_a) == ["李四"]
    assert names("主要负责同志", w.unit_a) == ["张三"]
    assert names("分管负责同志", w.unit_a) == ["李四"]  # not the head its last words name
    assert sorted(names("班子成员", w.unit_b)) == sorted(["王五", "赵六"])  # not the 处长
    assert names("副司长", w.unit_b) == ["赵六"]  # 周八 has no account
    assert sorted(names("由王五、赵六负责", w.unit_b)) == ["王五", "赵六"]  # by name
    assert names("人事司处长", w.unit_b) == ["孙七"]
    assert names("分管领导", w.unit_b) == ["赵六"]
    assert names("纪检委员", w.unit_a) == []  # nobody holds it
    assert holders.match("分管领导", None).people == []
    assert holders.match("分管领导", w.unit_a.pk).said == "分管领导"


def test_a_secretary_is_whoever_holds_the_office_now(titled):
    w = titled
    Position.objects.create(
        person=w.bob_p, org=w.branch_b, title=PositionTitle.SECRETARY, started_on=date(2024, 1, 1)
    )
    Position.objects.create(
        person=w.carol_p,
        org=w.branch_b,
        title=PositionTitle.SECRETARY,
        started_on=date(2020, 1, 1),
        ended_on=date(2023, 12, 31),
    )
    Position.objects.create(
        person=w.sam_p, org=w.root, title=PositionTitle.SECRETARY, started_on=date(2024, 1, 1)
    )  # the secretary of a 党委
    holders = roles.Holders([w.unit_b.pk], on=date(2026, 3, 1))
    assert holders.match("支部书记", w.unit_b.pk).people == [w.bob_p.pk]
    assert holders.match("党委书记", w.unit_b.pk).people == [w.sam_p.pk]
    assert holders.match("党组书记", w.unit_b.pk).people == []  # nobody holds that office
    assert sorted(holders.match("书记", w.unit_b.pk).people) == sorted([w.bob_p.pk, w.sam_p.pk])
    assert holders.match("副书记", w.unit_b.pk).people == []


# -- owners on the candidates ------------------------------------------------------------------


def test_owners_named_by_role_are_proposed_and_confirmed(titled):
    w = titled
    started = _start(w)
    first, second, third = started.candidates.order_by("position")[:3]
    assert list(first.owners.all()) == [w.amy_p] and first.owners_said == "分管领导"
    assert list(second.owners.all()) == [w.alice_p] and second.owners_said == "主要负责同志"
    assert set(third.owners.all()) == {w.bob_p, w.carol_p}
    edited = decomposing.edit(
        first,
        actor=w.sam,
        version=first.version,
        text=first.text,
        kind=first.kind,
        lead_unit=first.lead_unit,
        co_units=[],
        deadline=first.deadline,
        deadline_text=first.deadline_text,
        ongoing=False,
        owners=[w.alice_p],
    )
    assert list(edited.owners.all()) == [w.alice_p] and edited.owners_said == ""
    _accept_all(w, started)
    _, items = decomposing.commit(started, actor=w.sam)
    made = {i.content: i for i in Item.objects.filter(pk__in=[i.pk for i in items])}
    assert list(made[first.text].owners.all()) == [w.alice_p]
    assert list(made[second.text].owners.all()) == [w.alice_p]
    assert set(made[third.text].owners.all()) == {w.bob_p, w.carol_p}


def test_the_review_card_shows_the_proposal_and_the_edit_confirms_it(titled, login):
    w = titled
    started = _start(w)
    client = login(w.sam)
    page = client.get(reverse("ledger:decomposition", args=[started.pk])).content.decode()
    assert "李四（副主任）" in page
    assert "按文件所列“分管领导”在牵头单位中匹配，请核对后确认" in page
    first = started.candidates.order_by("position").first()
    answer = client.post(
        reverse("ledger:candidate", args=[started.pk, first.pk]),
        {
            "what": "edit",
            "version": first.version,
            "text": first.text,
            "kind": first.kind,
            "lead_unit": "办公厅（UA）",
            "co_units": "",
            "deadline": "2026-06-30",
            "deadline_text": "",
            "owners": [w.alice_p.pk, w.amy_p.pk],
        },
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 200
    # the card's answer also brings the count on the 生成督办事项 button up to date
    assert 'id="commit-accepted-button" hx-swap-oob="true">1<' in answer.content.decode()
    first.refresh_from_db()
    assert set(first.owners.all()) == {w.alice_p, w.amy_p} and first.owners_said == ""
    # someone outside the ledger's units cannot be chosen
    outsider = Person.objects.create(
        name="郑十", gender="M", birth_date=date(1980, 1, 1), id_number="x", id_number_hash="x",
        unit=w.unit_a,
    )  # fmt: skip
    answer = client.post(
        reverse("ledger:candidate", args=[started.pk, first.pk]),
        {
            "what": "edit",
            "version": first.version,
            "text": first.text,
            "kind": first.kind,
            "lead_unit": "",
            "co_units": "",
            "deadline": "",
            "deadline_text": "",
            "owners": [outsider.pk],
        },  # fmt: skip
        headers={"HX-Request": "true"},
    )
    assert answer.status_code == 400 and "不在您可选择的范围内" in answer.content.decode()
    first.refresh_from_db()
    assert set(first.owners.all()) == {w.alice_p, w.amy_p}


def test_a_split_part_is_matched_again_in_its_own_unit(titled):
    w = titled
    started = _start(w)
    first = started.candidates.order_by("position").first()
    one, two = decomposing.split(
        first,
        actor=w.sam,
        version=first.version,
        parts=["深入学习贯彻党的二十大精神，由人事司分管领导负责。", "6月底前完成专题培训。"],
    )
    assert one.lead_unit == w.unit_b and list(one.owners.all()) == [w.carol_p]
    assert list(two.owners.all()) == [w.amy_p]  # says no unit: keeps the original's


# -- items following the outline ---------------------------------------------------------------


def test_flat_commit_is_one_item_per_candidate(titled):
    w = titled
    started = _start(w)
    _accept_all(w, started)
    _, items = decomposing.commit(started, actor=w.sam)
    assert [i.number for i in items] == ["2", "3", "4", "5", "6"]
    assert all(i.parent_id is None for i in items)


def test_first_level_headings_become_items_with_sub_items(titled):
    w = titled
    started = _start(w)
    _accept_all(w, started)
    source, items = decomposing.commit(started, actor=w.sam, levels=1)
    rows = [
        (i.number, i.content[:8], i.parent.number if i.parent else None)
        for i in Item.objects.filter(pk__in=[i.pk for i in items]).order_by("sort_key")
    ]
    assert rows == [
        ("2", "强化政治建设", None),
        ("2.1", "深入学习贯彻党的", "2"),
        ("2.2", "健全第一议题制度", "2"),
        ("3", "加强队伍建设", None),  # every section, even of one numbered item
        ("3.1", "开展干部轮训，年", "3"),
        ("4", "严明工作纪律", None),
        ("4.1", "开展作风纪律专项", "4"),
        ("4.2", "组织警示教育，1", "4"),
    ]
    section, mixed = (
        Item.objects.get(number="2", ledger=w.ledger),
        Item.objects.get(number="4", ledger=w.ledger),
    )
    assert section.has_children and section.lead_unit == w.unit_a  # the unit both parts share
    assert section.deadline == date(2026, 9, 30)  # the later of the two
    assert source.text[section.source_start : section.source_end] == "一、强化政治建设"
    assert mixed.lead_unit is None and mixed.deadline == date(2026, 11, 30)
    assert Item.objects.get(number="2.1", ledger=w.ledger).sort_key.startswith(
        section.sort_key + "."
    )
    made = {c.text[:8]: c.item for c in Candidate.objects.filter(decomposition=started)}
    assert made["深入学习贯彻党的"].number == "2.1"
    assert Candidate.objects.filter(item__number="2").count() == 0  # a heading has no candidate


def test_a_section_with_no_accepted_candidate_makes_no_item(titled):
    w = titled
    started = _start(w)
    first, second, *rest = started.candidates.order_by("position")
    for candidate in rest:
        decomposing.review(candidate, actor=w.sam, status=CandidateStatus.ACCEPTED)
    _, items = decomposing.commit(started, actor=w.sam, levels=2)
    # 一、 keeps none of its items; 二、 and 三、 are there; "1．" lines stay items at level 2
    assert [i.number for i in items] == ["2", "2.1", "3", "3.1", "3.2"]


def test_an_unknown_structure_is_refused(titled):
    w = titled
    started = _start(w)
    _accept_all(w, started)
    with pytest.raises(InvalidInput, match="生成方式无效"):
        decomposing.commit(started, actor=w.sam, levels=5)
    assert not Item.objects.filter(ledger=w.ledger, number="2").exists()


def test_the_page_commits_following_the_outline(titled, login):
    w = titled
    started = _start(w)
    _accept_all(w, started)
    client = login(w.sam)
    page = client.get(reverse("ledger:decomposition", args=[started.pk])).content.decode()
    assert "一级标题（一、二、……）生成督办事项" in page
    answer = client.post(
        reverse("ledger:decomposition_action", args=[started.pk, "commit"]),
        {"title": "工作方案", "kind": "document", "levels": "1"},
        follow=True,
    )
    assert "已生成 8 项督办事项（草稿，序号 2—4，其中子事项 5 项）" in answer.content.decode()
    assert Item.objects.get(ledger=w.ledger, number="4.2").parent.content == "严明工作纪律"
