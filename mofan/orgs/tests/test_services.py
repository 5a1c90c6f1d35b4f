from datetime import date

import pytest
from django.urls import reverse

from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.orgs import services, stats
from mofan.orgs.choices import HistoryKind, MembershipStatus, OrgKind
from mofan.orgs.models import Membership, OrgHistory, PartyOrg, Person

pytestmark = pytest.mark.django_db


def test_rename_is_audited_and_kept_in_history(world):
    services.update_org(
        world.branch_a, actor=world.carol, version=world.branch_a.version, name="综合党支部"
    )
    world.branch_a.refresh_from_db()
    assert world.branch_a.name == "综合党支部"
    history = OrgHistory.objects.filter(party_org=world.branch_a, kind=HistoryKind.RENAMED).get()
    assert history.before == {"name": "第一党支部"} and history.after == {"name": "综合党支部"}
    assert history.summary == "全称由“第一党支部”改为“综合党支部”"
    event = AuditEvent.objects.filter(action="orgs.partyorg.updated").get()
    assert event.changes == {"name": ["第一党支部", "综合党支部"]}
    assert event.actor_id == world.carol.pk


def test_stale_edit_is_refused_and_changes_nothing(world):
    stale = world.branch_a.version
    services.update_org(world.branch_a, actor=world.carol, version=stale, short_name="一支部")
    with pytest.raises(StaleEdit):
        services.update_org(
            PartyOrg.objects.get(pk=world.branch_a.pk),
            actor=world.carol,
            version=stale,
            name="覆盖",
        )
    assert PartyOrg.objects.get(pk=world.branch_a.pk).name == "第一党支部"


def test_stale_edit_through_the_page_answers_409_in_chinese(world, login):
    client = login(world.carol)
    url = reverse("orgs:org_edit", args=[world.branch_a.pk])
    form = {
        "name": "新名称",
        "short_name": "",
        "code": "A",
        "kind": "branch",
        "order": 0,
        "founded_on": "",
        "term_started_on": "",
        "version": world.branch_a.version,
    }
    services.update_org(
        world.branch_a, actor=world.carol, version=world.branch_a.version, short_name="抢先"
    )
    response = client.post(url, form)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert PartyOrg.objects.get(pk=world.branch_a.pk).name == "第一党支部"


def test_bad_input_on_the_edit_page_is_a_400_and_changes_nothing(world, login):
    client = login(world.carol)
    response = client.post(
        reverse("orgs:org_edit", args=[world.branch_a.pk]), {"name": "", "version": 1}
    )
    assert response.status_code == 400
    assert PartyOrg.objects.get(pk=world.branch_a.pk).name == "第一党支部"


def test_branch_with_seven_full_members_cannot_drop_its_committee(world):
    from conftest import make_member

    for i in range(5):
        make_member(f"成员{i}", world.unit_a, world.branch_a)
    with pytest.raises(InvalidInput, match="7 人须设立支部委员会"):
        services.update_org(
            world.branch_a, actor=world.carol, version=world.branch_a.version, has_committee=False
        )


def test_group_cannot_be_created_under_a_general_branch(world):
    general = services.create_org(
        actor=None, parent=world.organ, kind=OrgKind.GENERAL_BRANCH, code="G", name="总支"
    )
    with pytest.raises(InvalidInput, match="党小组不能设在党总支之下"):
        services.create_org(actor=None, parent=general, kind=OrgKind.GROUP, code="GG", name="小组")


def test_move_carries_the_subtree_and_is_recorded(world):
    general = services.create_org(
        actor=world.carol, parent=world.organ, kind=OrgKind.GENERAL_BRANCH, code="G", name="总支"
    )
    services.move_node(world.branch_a, actor=world.carol, new_parent=general, on=date(2026, 1, 1))
    world.branch_a.refresh_from_db()
    general.refresh_from_db()
    assert world.branch_a.path.startswith(general.path)
    assert PartyOrg.objects.get(code="A1").path.startswith(world.branch_a.path)
    assert stats.subtree_member_count(general) == 2
    moved = OrgHistory.objects.get(party_org=world.branch_a, kind=HistoryKind.MOVED)
    assert moved.summary == "隶属关系由“中共测试机关委员会”调整为“总支”"


def test_merge_moves_members_and_dissolves_the_source(world):
    services.merge_nodes(
        world.branch_b, actor=world.carol, target=world.branch_a, on=date(2026, 3, 1)
    )
    world.branch_b.refresh_from_db()
    assert world.branch_b.dissolved_on == date(2026, 3, 1)
    assert Membership.objects.filter(org=world.branch_a).count() == 6  # 2 of A and 4 of B
    assert OrgHistory.objects.filter(party_org=world.branch_a, kind=HistoryKind.MERGED).exists()


def test_dissolving_an_org_with_members_is_refused(world):
    with pytest.raises(InvalidInput, match="仍有党员"):
        services.dissolve_node(world.branch_b, actor=world.carol, on=date(2026, 3, 1))


def test_transfer_within_the_system_keeps_history(world):
    membership = world.amy_p.membership
    services.transfer(membership, actor=world.carol, on=date(2026, 5, 1), to_org=world.branch_b)
    membership.refresh_from_db()
    assert membership.org == world.branch_b
    assert membership.transfers.count() == 2


def test_transfer_out_of_the_system_changes_status(world):
    membership = world.amy_p.membership
    services.transfer(
        membership, actor=world.carol, on=date(2026, 5, 1), other_org_name="中共某市委员会"
    )
    membership.refresh_from_db()
    assert membership.status == MembershipStatus.TRANSFERRED_OUT


def test_personal_numbers_are_encrypted_at_rest_and_searchable_by_hash(world):
    from django.db import connection

    from mofan.access.crypto import keyed_hash

    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM orgs_person WHERE id = %s", [world.alice_p.pk])
        raw_id, raw_phone = cursor.fetchone()
    assert raw_id.startswith("sm4gcm2:") and world.alice_p.id_number not in raw_id
    assert raw_phone.startswith("sm4gcm2:") and "13900000001" not in raw_phone
    assert Person.objects.get(id_number_hash=keyed_hash(world.alice_p.id_number)) == world.alice_p


def test_duplicate_id_number_is_refused(world):
    from conftest import make_person

    with pytest.raises(InvalidInput, match="已登记"):
        services.create_person(
            actor=None,
            name="重复",
            gender=world.alice_p.gender,
            ethnicity="汉族",
            birth_date=world.alice_p.birth_date,
            id_number=world.alice_p.id_number,
            unit=world.unit_a,
        )
    assert make_person  # the helper stays importable for other tests


def test_full_numbers_are_shown_only_when_asked_and_audited(world, login):
    client = login(world.carol)
    url = reverse("orgs:person_detail", args=[world.alice_p.pk])
    page = client.get(url).content.decode()
    assert world.alice_p.id_number not in page and "139****0001" in page
    page = client.get(url + "?reveal=1").content.decode()
    assert world.alice_p.id_number in page and "13900000001" in page
    assert (
        AuditEvent.objects.filter(action="orgs.person.pii_viewed", actor_id=world.carol.pk).count()
        == 1
    )


def test_secretary_may_not_reveal_full_numbers_of_members(world, login):
    client = login(world.alice)
    page = client.get(
        reverse("orgs:person_detail", args=[world.amy_p.pk]) + "?reveal=1"
    ).content.decode()
    assert world.amy_p.id_number not in page
    assert not AuditEvent.objects.filter(action="orgs.person.pii_viewed").exists()
