"""The pages and the API of transfers and standing: who may do what, bad input as a Chinese 4xx
with nothing changed, and another organisation's data never readable nor changeable."""

from datetime import date

import pytest
from django.urls import reverse

from mofan.access import services as access
from mofan.members import checks, services
from mofan.members.choices import TransferState
from mofan.members.models import StandingChange, Transfer
from mofan.members.tests.conftest import held_assembly
from mofan.notify.models import Notification
from mofan.orgs.choices import MembershipStatus
from mofan.orgs.models import Membership

pytestmark = pytest.mark.django_db


def _issue(w, person=None, to_org=None, **kwargs):
    membership = Membership.objects.select_related("person", "org").get(person=person or w.amy_p)
    return services.issue_transfer(
        membership, actor=w.alice, to_org=to_org or w.branch_c,
        issued_on=kwargs.pop("issued_on", date(2026, 11, 18)), reason="job", **kwargs,
    )  # fmt: skip


def test_the_secretary_issues_a_letter_from_the_member_page(members_world, login):
    w = members_world
    client = login(w.alice)
    page = client.get(reverse("orgs:person_detail", args=[w.amy_p.pk])).content.decode()
    assert "开具组织关系介绍信" in page
    url = reverse("members:issue", args=[w.amy_p.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {
        "to_org": w.general.pk, "reason": "job", "issued_on": "2026-11-20", "valid_days": 30,
    })  # fmt: skip
    assert response.status_code == 400  # a general branch is not offered, nor taken
    assert "不在您可选择的范围内" in response.content.decode()
    assert not Transfer.objects.exists()
    response = client.post(url, {
        "to_org": w.branch_c.pk, "reason": "job", "issued_on": "2026-11-20", "valid_days": 30,
    })  # fmt: skip
    transfer = Transfer.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("members:transfer", args=[transfer.pk])
    page = client.get(reverse("orgs:person_detail", args=[w.amy_p.pk])).content.decode()
    assert "等待接收" in page and "开具组织关系介绍信" not in page


def test_the_receiver_accepts_and_sees_the_member_with_their_history(members_world, login):
    w = members_world
    transfer = _issue(w)
    client = login(w.dora)
    home = client.get(reverse("members:home")).content.decode()
    assert "李四" in home and "待本组织接收" in home
    page = client.get(reverse("members:transfer", args=[transfer.pk])).content.decode()
    assert "接收组织关系" in page
    response = client.post(
        reverse("members:transfer_action", args=[transfer.pk, "accept"]),
        {"accepted_on": "2026-11-20", "version": transfer.version},
    )
    assert response.status_code == 302
    assert Membership.objects.get(person=w.amy_p).org == w.branch_c
    person = client.get(reverse("orgs:person_detail", args=[w.amy_p.pk]))
    assert person.status_code == 200
    text = person.content.decode()
    assert "第一党支部 → 另一机关第一党支部" in text


def test_a_stale_or_late_acceptance_answers_4xx_and_changes_nothing(members_world, login):
    w = members_world
    transfer = _issue(w)
    client = login(w.dora)
    url = reverse("members:transfer_action", args=[transfer.pk, "accept"])
    response = client.post(url, {"accepted_on": "2026-11-17", "version": transfer.version})
    assert response.status_code == 400
    assert "不能早于介绍信开具日期" in response.content.decode()
    response = client.post(url, {"accepted_on": "2026-11-20", "version": transfer.version + 5})
    assert response.status_code == 409
    response = client.post(url, {"accepted_on": "", "version": transfer.version})
    assert response.status_code == 400
    assert Transfer.objects.get().state == TransferState.PENDING
    assert Membership.objects.get(person=w.amy_p).org == w.branch_a


def test_returning_needs_a_reason(members_world, login):
    w = members_world
    transfer = _issue(w)
    client = login(w.dora)
    url = reverse("members:transfer_action", args=[transfer.pk, "return"])
    response = client.post(url, {"return-reason": " ", "return-version": transfer.version})
    assert response.status_code == 400
    response = client.post(
        url, {"return-reason": "非本单位人员", "return-version": transfer.version}
    )
    assert response.status_code == 302
    assert Transfer.objects.get().state == TransferState.RETURNED


@pytest.mark.parametrize("persona", ["amy", "bob", "sam", "una", "sysadmin"])
def test_only_the_receiver_accepts_and_only_the_sender_withdraws(members_world, login, persona):
    w = members_world
    transfer = _issue(w)
    client = login(getattr(w, persona))
    for action, data in (
        ("accept", {"accepted_on": "2026-11-20", "version": 1}),
        ("return", {"return-reason": "不接收", "return-version": 1}),
        ("withdraw", {"withdraw-reason": "撤回", "withdraw-version": 1}),
    ):
        url = reverse("members:transfer_action", args=[transfer.pk, action])
        assert client.post(url, data).status_code == 404
    # The sender may not accept its own letter; the receiver may not withdraw it.
    sender, receiver = login(w.alice), None
    assert (
        sender.post(
            reverse("members:transfer_action", args=[transfer.pk, "accept"]),
            {"accepted_on": "2026-11-20", "version": 1},
        ).status_code
        == 404
    )
    receiver = login(w.dora)
    assert (
        receiver.post(
            reverse("members:transfer_action", args=[transfer.pk, "withdraw"]),
            {"withdraw-reason": "撤回", "withdraw-version": 1},
        ).status_code
        == 404
    )
    assert Transfer.objects.get().state == TransferState.PENDING


def test_another_organisation_cannot_read_or_act_on_a_member_it_does_not_keep(members_world, login):
    w = members_world
    client = login(w.dora)  # secretary of branch C, another tree
    for name, args in (
        ("members:issue", [w.amy_p.pk]),
        ("members:standing", [w.amy_p.pk, "lost"]),
    ):
        assert client.get(reverse(name, args=args)).status_code == 404
        assert (
            client.post(reverse(name, args=args), {"on": "2026-11-01", "note": "x" * 5}).status_code
            == 404
        )
    transfer = _issue(w, to_org=w.branch_b)  # a letter between two branches of the organ
    assert client.get(reverse("members:transfer", args=[transfer.pk])).status_code == 404
    assert "李四" not in client.get(reverse("members:home")).content.decode()
    assert Membership.objects.get(person=w.amy_p).status == MembershipStatus.NORMAL


def test_the_member_sees_their_own_letter_but_cannot_act_on_it(members_world, login):
    w = members_world
    transfer = _issue(w)
    client = login(w.amy)
    page = client.get(reverse("members:transfer", args=[transfer.pk]))
    assert page.status_code == 200
    assert "接收组织关系" not in page.content.decode()
    home = client.get(reverse("members:home")).content.decode()
    assert "我的组织关系转接" in home and "待本组织接收" not in home


def test_a_member_from_outside_the_system_is_received_through_the_page(members_world, login):
    w = members_world
    client = login(w.dora)
    data = {
        "name": "郑十一", "gender": "M", "ethnicity": "汉族", "birth_date": "1988-03-04",
        "id_number": "110105198803040014", "unit": w.unit_c.pk, "org": w.branch_c.pk,
        "kind": "full", "joined_on": "2012-06-01", "confirmed_on": "2013-06-01",
        "other_org_name": "中共某大学委员会", "letter_number": "校组〔2026〕15号",
        "received_on": "2026-11-19", "reason": "job",
    }  # fmt: skip
    response = client.post(reverse("members:receive"), {**data, "org": w.branch_a.pk})
    assert response.status_code == 400  # branch A is not dora's to receive into
    assert not Membership.objects.filter(person__name="郑十一").exists()
    response = client.post(reverse("members:receive"), data)
    assert response.status_code == 302
    assert Membership.objects.get(person__name="郑十一").org == w.branch_c
    # A member without a keeper's role finds no such page.
    assert login(w.amy).get(reverse("members:receive")).status_code == 404


def test_standing_decisions_through_the_pages(members_world, login):
    w = members_world
    client = login(w.alice)
    url = reverse("members:standing", args=[w.amy_p.pk, "lost"])
    assert client.post(url, {"on": "2026-03-01", "note": ""}).status_code == 400
    assert client.post(url, {"on": "2026-03-01", "note": "多方查找未果"}).status_code == 302
    meeting = held_assembly(w.branch_a, date(2026, 11, 10))
    stop = reverse("members:standing", args=[w.amy_p.pk, "stopped"])
    page = client.get(stop).content.decode()
    assert meeting.title in page
    response = client.post(stop, {"on": "2026-11-12", "note": "支部大会决定"})
    assert response.status_code == 400
    assert "请选择作出决定的支部党员大会" in response.content.decode()
    response = client.post(
        stop, {"on": "2026-11-12", "meeting": meeting.pk, "note": "支部大会决定"}
    )
    assert response.status_code == 302
    assert Membership.objects.get(person=w.amy_p).status == MembershipStatus.STOPPED
    assert StandingChange.objects.filter(person=w.amy_p).count() == 2
    home = client.get(reverse("members:home")).content.decode()
    assert "停止党籍" in home and "2028年11月12日" in home
    assert client.get(reverse("members:standing", args=[w.amy_p.pk, "nonsense"])).status_code == 404


def test_the_daily_check_flags_expired_letters_and_ripe_decisions_once(members_world, time_machine):
    w = members_world
    time_machine.move_to(date(2026, 10, 1), tick=False)
    _issue(w, issued_on=date(2026, 10, 1), valid_days=10)
    membership = Membership.objects.select_related("person", "org").get(person=w.alice_p)
    services.mark_lost(membership, actor=w.alice, since=date(2026, 4, 1), note="查找未果")
    time_machine.move_to(date(2026, 11, 20), tick=False)
    found = checks.due(date(2026, 11, 20))
    titles = sorted(d.title for d in found)
    assert titles == [
        "党籍处理提醒：张三应由支部党员大会讨论停止党籍",
        "组织关系介绍信已过期：李四",
        "组织关系介绍信已过期：李四",
    ]
    first = checks.notify_due(date(2026, 11, 20))
    assert first["notices"] > 0
    assert checks.notify_due(date(2026, 11, 20))["notices"] == 0  # once per finding
    assert Notification.objects.filter(user=w.dora, title__contains="已过期").count() == 1
    # Before six months, nothing on the lost member.
    assert not [d for d in checks.due(date(2026, 9, 30)) if "张三" in d.title]


# --- API ------------------------------------------------------------------------------------


def _api(client, user):
    token = access.issue_api_token(user, actor=user)
    client.defaults["HTTP_AUTHORIZATION"] = f"Token {token}"
    return client


def test_the_api_issues_accepts_and_refuses(members_world, client):
    w = members_world
    api = _api(client, w.alice)
    response = api.post(
        "/api/transfers/",
        {"person": w.amy_p.pk, "to_org": w.general.pk, "reason": "job", "issued_on": "2026-11-20"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert "不直接接收党员组织关系" in response.json()["detail"]
    response = api.post(
        "/api/transfers/",
        {"person": w.amy_p.pk, "to_org": w.branch_c.pk, "reason": "job", "issued_on": "2026-11-20"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    transfer_id = response.json()["id"]
    assert response.json()["state"] == "pending"
    # The sender cannot accept; the receiver can.
    accept = f"/api/transfers/{transfer_id}/accept/"
    body = {"accepted_on": "2026-11-20", "version": 1}
    assert api.post(accept, body, content_type="application/json").status_code == 404
    receiver = _api(client, w.dora)
    answer = receiver.post(accept, body, content_type="application/json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["state"] == "accepted"
    assert Membership.objects.get(person=w.amy_p).org == w.branch_c


def test_the_api_keeps_other_organisations_out(members_world, client):
    w = members_world
    transfer = _issue(w, to_org=w.branch_b)
    api = _api(client, w.dora)
    assert api.get(f"/api/transfers/{transfer.pk}/").status_code == 404
    assert api.get("/api/transfers/").json()["count"] == 0
    response = api.post(
        "/api/transfers/",
        {"person": w.amy_p.pk, "to_org": w.branch_c.pk, "reason": "job", "issued_on": "2026-11-20"},
        content_type="application/json",
    )
    assert response.status_code == 404
    response = api.post(
        "/api/standing-changes/",
        {"person": w.amy_p.pk, "kind": "lost", "effective_on": "2026-05-01", "note": "查找未果"},
        content_type="application/json",
    )
    assert response.status_code == 404
    assert Membership.objects.get(person=w.amy_p).status == MembershipStatus.NORMAL


def test_the_api_records_standing_with_its_meeting(members_world, client):
    w = members_world
    api = _api(client, w.alice)
    response = api.post(
        "/api/standing-changes/",
        {"person": w.amy_p.pk, "kind": "lost", "effective_on": "2026-03-01", "note": "查找未果"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    meeting = held_assembly(w.branch_a, date(2026, 11, 10))
    body = {"person": w.amy_p.pk, "kind": "stopped", "effective_on": "2026-11-12", "note": "决定"}
    response = api.post("/api/standing-changes/", body, content_type="application/json")
    assert response.status_code == 400
    assert "支部党员大会" in response.json()["detail"]
    response = api.post(
        "/api/standing-changes/", {**body, "meeting": meeting.pk}, content_type="application/json"
    )
    assert response.status_code == 201, response.content
    assert Membership.objects.get(person=w.amy_p).status == MembershipStatus.STOPPED


def test_the_letter_of_introduction_as_word_says_how_far_dues_are_paid(members_world, login):
    import io
    from decimal import Decimal

    from docx import Document

    from mofan.audit.models import AuditEvent
    from mofan.dues import services as dues
    from mofan.dues.models import DuesRule
    from mofan.dues.rules_national import ensure_national_brackets

    w = members_world
    ensure_national_brackets(DuesRule)
    dues.record_base(
        w.amy_p, actor=None, starts_on=date(2026, 1, 1), category="salaried",
        monthly_income=Decimal("5000"),
    )  # fmt: skip
    for month in range(1, 10):  # January to September paid; October not
        dues.record_payment(
            w.amy_p, actor=None, month=date(2026, month, 1), paid_on=date(2026, month, 20),
            method="cash",
        )  # fmt: skip
    transfer = _issue(w)
    url = reverse("members:letter", args=[transfer.pk])
    # The receiver and the sender may print it; the member and a third branch may not.
    assert login(w.amy).get(url).status_code == 404
    assert login(w.bob).get(url).status_code == 404
    response = login(w.alice).get(url)
    assert response.status_code == 200
    text = "\n".join(
        p.text for p in Document(io.BytesIO(b"".join(response.streaming_content))).paragraphs
    )
    assert f"{transfer.letter_number}" in text
    assert "另一机关第一党支部：" in text
    assert "兹介绍李四同志（女，36岁，汉族，正式党员，公民身份号码" in text
    assert "组织关系由第一党支部转到另一机关第一党支部，请接转。" in text
    assert "该同志党费已交到2026年9月。" in text
    assert "（有效期30天）" in text
    assert AuditEvent.objects.filter(action="members.transfer.letter").count() == 1
    assert login(w.dora).get(url).status_code == 200


def test_the_receivers_picker_offers_branches_of_the_whole_system_with_their_parent(
    members_world, login
):
    w = members_world
    answer = login(w.alice).get(reverse("orgs:pick", args=["receivers"]), {"q": "支部"}).json()
    shown = {r["text"]: r["hint"] for r in answer["results"]}
    assert shown["另一机关第一党支部"] == "党支部 属中共另一委员会"
    assert "测试党总支" not in shown  # a general branch keeps no members
    # Someone who issues no transfers gets nothing.
    assert login(w.amy).get(reverse("orgs:pick", args=["receivers"]), {"q": "支部"}).json() == {
        "results": []
    }
