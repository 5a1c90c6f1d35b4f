import pytest
from django.urls import reverse

from mofan.audit.models import AuditEvent
from mofan.orgs.choices import PositionTitle
from mofan.orgs.models import Membership, Person, Position

pytestmark = pytest.mark.django_db


def _person_form(person, **overrides):
    data = {
        "version": person.version,
        "name": person.name,
        "gender": person.gender,
        "ethnicity": person.ethnicity,
        "birth_date": person.birth_date.isoformat(),
        "id_number": person.id_number,
        "phone": person.phone,
        "education": person.education,
        "unit": person.unit_id,
        "job_title": person.job_title,
        "rank": person.rank,
    }
    data.update(overrides)
    return data


def test_org_admin_edits_a_person_and_keys_follow_the_new_name(world, login):
    client = login(world.carol)
    url = reverse("orgs:person_edit", args=[world.amy_p.pk])
    assert client.get(url).status_code == 200
    assert AuditEvent.objects.filter(
        action="orgs.person.pii_viewed", object_id=str(world.amy_p.pk)
    ).exists()
    response = client.post(url, _person_form(world.amy_p, name="李思思", unit=world.unit_b.pk))
    assert response.status_code == 302
    person = Person.objects.get(pk=world.amy_p.pk)
    assert (person.name, person.name_initials, person.unit) == ("李思思", "lss", world.unit_b)


def test_concurrent_person_edit_answers_409_and_keeps_the_first_save(world, login):
    client = login(world.carol)
    url = reverse("orgs:person_edit", args=[world.amy_p.pk])
    stale = _person_form(world.amy_p, job_title="第二人")
    assert client.post(url, _person_form(world.amy_p, job_title="第一人")).status_code == 302
    response = client.post(url, stale)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert Person.objects.get(pk=world.amy_p.pk).job_title == "第一人"


def test_bad_person_input_is_400_and_changes_nothing(world, login):
    client = login(world.carol)
    response = client.post(
        reverse("orgs:person_edit", args=[world.amy_p.pk]),
        _person_form(world.amy_p, unit=999999, birth_date="1991-01-01"),
    )
    assert response.status_code == 400
    assert "不在您可选择的范围内" in response.content.decode()
    response = client.post(
        reverse("orgs:person_edit", args=[world.amy_p.pk]),
        _person_form(world.amy_p, birth_date="1991-01-01"),
    )
    assert response.status_code == 400
    assert "出生日期与公民身份号码不一致" in response.content.decode()
    assert Person.objects.get(pk=world.amy_p.pk).birth_date == world.amy_p.birth_date


def test_membership_edit_checks_dates(world, login):
    client = login(world.carol)
    url = reverse("orgs:membership_edit", args=[world.amy_p.pk])
    membership = world.amy_p.membership
    data = {
        "version": membership.version,
        "kind": "full",
        "joined_on": "2010-07-01",
        "confirmed_on": "2009-01-01",
        "status": "normal",
    }
    response = client.post(url, data)
    assert response.status_code == 400
    assert "转正日期应晚于入党日期" in response.content.decode()
    data["confirmed_on"] = "2011-08-01"
    assert client.post(url, data).status_code == 302
    assert Membership.objects.get(pk=membership.pk).confirmed_on.isoformat() == "2011-08-01"


def test_appoint_and_end_a_position(world, login):
    client = login(world.carol)
    response = client.post(
        reverse("orgs:appoint", args=[world.branch_a.pk]),
        {
            "person": world.amy_p.pk,
            "title": PositionTitle.PUBLICITY_MEMBER,
            "started_on": "2026-01-01",
        },
    )
    assert response.status_code == 302
    position = Position.objects.get(person=world.amy_p)
    client.post(
        reverse("orgs:end_position", args=[world.branch_a.pk, position.pk]), {"on": "2026-06-30"}
    )
    position.refresh_from_db()
    assert position.ended_on.isoformat() == "2026-06-30"


def test_only_members_of_the_org_may_be_appointed(world, login):
    response = login(world.carol).post(
        reverse("orgs:appoint", args=[world.branch_a.pk]),
        {"person": world.bob_p.pk, "title": PositionTitle.SECRETARY, "started_on": "2026-01-01"},
    )
    assert response.status_code == 400
    assert not Position.objects.filter(person=world.bob_p).exists()


@pytest.mark.parametrize(
    "persona", ["alice", "amy", "sam", "una", "secadmin", "sysadmin", "auditor"]
)
@pytest.mark.parametrize("name", ["orgs:person_edit", "orgs:membership_edit"])
def test_only_org_admins_edit_people(world, login, persona, name):
    client = login(getattr(world, persona))
    assert client.get(reverse(name, args=[world.amy_p.pk])).status_code == 404
    assert client.post(reverse(name, args=[world.amy_p.pk]), {}).status_code == 404


@pytest.mark.parametrize("persona", ["alice", "sam", "secadmin"])
def test_only_org_admins_appoint(world, login, persona):
    client = login(getattr(world, persona))
    assert client.get(reverse("orgs:appoint", args=[world.branch_a.pk])).status_code == 404


def _new_member(world, **overrides):
    from datetime import date

    from conftest import make_id_number

    data = {
        "name": "郑十",
        "gender": "M",
        "ethnicity": "汉族",
        "birth_date": "1991-04-05",
        "id_number": make_id_number(date(1991, 4, 5), "M"),
        "phone": "",
        "education": "bachelor",
        "unit": world.unit_a.pk,
        "job_title": "",
        "rank": "",
        "org": world.branch_a.pk,
        "kind": "full",
        "joined_on": "2015-07-01",
        "confirmed_on": "2016-07-01",
    }
    data.update(overrides)
    return data


def test_org_admin_adds_one_member_by_hand(world, login):
    client = login(world.carol)
    assert client.get(reverse("orgs:member_new")).status_code == 200
    response = client.post(reverse("orgs:member_new"), _new_member(world))
    assert response.status_code == 302
    assert Membership.objects.get(person__name="郑十").org == world.branch_a


def test_new_member_errors_save_nothing(world, login):
    client = login(world.carol)
    response = client.post(reverse("orgs:member_new"), _new_member(world, org=world.root.pk))
    assert response.status_code == 400
    assert "不在您可选择的范围内" in response.content.decode()
    response = client.post(
        reverse("orgs:member_new"), _new_member(world, confirmed_on="2014-01-01")
    )
    assert response.status_code == 400
    assert "转正日期应晚于入党日期" in response.content.decode()
    assert not Person.objects.filter(
        name="郑十"
    ).exists()  # the person was rolled back with the record


@pytest.mark.parametrize("persona", ["alice", "sam", "sysadmin"])
def test_only_org_admins_add_members(world, login, persona):
    assert login(getattr(world, persona)).get(reverse("orgs:member_new")).status_code == 404
