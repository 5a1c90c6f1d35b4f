"""责任清单: the organ committee issues a template for its branches; branch A's list starts from
it with local duties, names the indicators that measure them, and is signed by its secretary —
only by him, only the version he read; a later change keeps the version before it and awaits a new
signature; another branch reads and changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from mofan.assessment import duties
from mofan.assessment.models import DutyList, DutyRevision
from mofan.assessment.tests.conftest import build_scheme
from mofan.core.errors import InvalidInput, StaleEdit
from mofan.orgs import services as orgs
from mofan.orgs.choices import PositionTitle

pytestmark = pytest.mark.django_db

TEMPLATE = "认真落实党建工作责任制，每年研究部署党建工作\n履行第一责任人职责，带头讲党课"


@pytest.fixture
def keeping(assess_world):
    w = assess_world
    for person, title in ((w.alice_p, PositionTitle.SECRETARY),
                          (w.amy_p, PositionTitle.ORGANISATION_MEMBER)):  # fmt: skip
        orgs.appoint(actor=None, person=person, org=w.branch_a, title=title,
                     started_on=date(2024, 1, 1))  # fmt: skip
    w.template = duties.issue_template(
        w.organ, actor=w.carol, kind="first", target_kind="branch", title="", text=TEMPLATE,
        year=2026,
    )  # fmt: skip
    return w


def test_a_list_from_the_template_signed_by_its_person_only(keeping):
    w = keeping
    with pytest.raises(InvalidInput, match="责任人须为本组织现任班子成员"):
        duties.create_list(w.branch_a, actor=w.carol, year=2026, kind="first", person=w.bob_p,
                           template=w.template)  # fmt: skip
    assert [t.pk for t in duties.templates_for(w.branch_a, "first")] == [w.template.pk]
    assert not duties.templates_for(w.organ).exists()  # issued for branches, not for itself
    mine = duties.create_list(w.branch_a, actor=w.carol, year=2026, kind="first",
                              person=w.alice_p, template=w.template,
                              text="抓好支部班子自身建设")  # fmt: skip
    assert [(d.text, d.local) for d in mine.duties.all()] == [
        ("认真落实党建工作责任制，每年研究部署党建工作", False),
        ("履行第一责任人职责，带头讲党课", False),
        ("抓好支部班子自身建设", True),
    ]
    with pytest.raises(InvalidInput, match="已存在"):
        duties.create_list(w.branch_a, actor=w.carol, year=2026, kind="first",
                           person=w.alice_p, text="重复")  # fmt: skip
    with pytest.raises(InvalidInput, match="只有责任人本人可以签认"):
        duties.sign(mine, actor=w.amy, version=mine.version)
    from mofan.notify.models import Notification

    asked = Notification.objects.get(user=w.alice, title__startswith="责任清单待签认")
    assert asked.url == f"/assessment/duties/{mine.pk}/"
    duties.sign(mine, actor=w.alice, version=1)
    mine.refresh_from_db()
    assert mine.signed
    # A change keeps the signed version and awaits a new signature; signing what one did not
    # read is refused.
    duties.save_local(mine, actor=w.carol, text="抓好支部班子自身建设\n落实“三会一课”", version=1)
    mine.refresh_from_db()
    assert (mine.version, mine.signed) == (2, False)
    assert (
        Notification.objects.filter(user=w.alice, title__startswith="责任清单待签认").count() == 2
    )
    kept = DutyRevision.objects.get(duty_list=mine)
    assert (kept.version, kept.content["signed"], len(kept.content["duties"])) == (1, True, 3)
    with pytest.raises(StaleEdit):
        duties.sign(mine, actor=w.alice, version=1)
    with pytest.raises(StaleEdit):
        duties.save_local(mine, actor=w.carol, text="x", version=1)
    assert mine.duties.filter(local=False).count() == 2  # the template's stay


def test_a_duty_names_the_indicators_that_measure_it(keeping):
    w = keeping
    scheme = build_scheme(w, w.carol)
    mine = duties.create_list(w.branch_a, actor=w.carol, year=2026, kind="first",
                              person=w.alice_p, template=w.template)  # fmt: skip
    duty = mine.duties.first()
    duties.link_indicators(duty, actor=w.carol, indicators=[scheme.duty, scheme.compliance],
                           version=1)  # fmt: skip
    assert set(duty.indicators.values_list("name", flat=True)) == {
        "落实全面从严治党主体责任", "“三会一课”等组织生活按规定开展",
    }  # fmt: skip
    other = build_scheme(w, w.carol, year=2025)  # another year's scheme does not measure it
    with pytest.raises(InvalidInput, match="所选指标不属于本组织本年度"):
        duties.link_indicators(duty, actor=w.carol, indicators=[other.duty], version=2)


def test_the_pages_keep_need_to_know(keeping, login):
    w = keeping
    carol = login(w.carol)
    made = carol.post(reverse("assessment:duty_new"), {
        "org": w.branch_a.pk, "year": 2026, "kind": "first", "person": w.alice_p.pk,
        "from": w.template.pk, "text": "抓好支部班子自身建设",
    })  # fmt: skip
    duty_list = DutyList.objects.get(template=False)
    assert made.status_code == 302 and made["Location"].endswith(f"/duties/{duty_list.pk}/")
    refused = carol.post(reverse("assessment:duty_new"), {
        "org": w.branch_a.pk, "year": 2026, "kind": "first", "person": w.bob_p.pk, "text": "x",
    })  # fmt: skip
    assert refused.status_code == 400 and "责任人须为本组织现任班子成员" in refused.content.decode()
    url = reverse("assessment:duty", args=[duty_list.pk])
    bob = login(w.bob)
    assert bob.get(url).status_code == 404
    assert bob.post(url, {"op": "save", "version": 1, "text": "篡改"}).status_code == 404
    assert bob.post(reverse("assessment:duty_new"), {"org": w.branch_a.pk, "year": 2026,
                                                      "kind": "first"}).status_code == 404  # fmt: skip
    alice = login(w.alice)  # the person responsible reads and signs, but does not edit
    page = alice.get(url).content.decode()
    assert 'data-testid="sign"' in page and 'data-testid="local-form"' not in page
    assert alice.post(url, {"op": "save", "version": 1, "text": "改"}).status_code == 404
    assert alice.post(url, {"op": "sign", "version": 1}).status_code == 302
    assert 'data-testid="signed"' in alice.get(url).content.decode()
    assert "待签认" not in login(w.alice).get(reverse("assessment:duties")).content.decode()
    duty_list.refresh_from_db()
    assert duty_list.signed and duty_list.duties.count() == 3


def test_the_api_gives_the_lists_and_takes_the_signature(keeping, login):
    w = keeping
    mine = duties.create_list(w.branch_a, actor=w.carol, year=2026, kind="first",
                              person=w.alice_p, template=w.template)  # fmt: skip
    assert login(w.bob).get(f"/api/duty-lists/{mine.pk}/").status_code == 404
    amy = login(w.amy)  # a member of the branch, not the person responsible
    assert amy.post(f"/api/duty-lists/{mine.pk}/sign/", {"version": 1},
                    content_type="application/json").status_code == 404  # fmt: skip
    alice = login(w.alice)
    read = alice.get(f"/api/duty-lists/{mine.pk}/").json()
    assert [d["local"] for d in read["duties"]] == [False, False] and read["signed"] is False
    stale = alice.post(f"/api/duty-lists/{mine.pk}/sign/", {"version": 0},
                       content_type="application/json")  # fmt: skip
    assert stale.status_code == 409
    signed = alice.post(f"/api/duty-lists/{mine.pk}/sign/", {"version": 1},
                        content_type="application/json")  # fmt: skip
    assert signed.status_code == 200 and signed.json()["signed"] is True
