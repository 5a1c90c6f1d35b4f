"""延期申请 (issue 10): an owner asks for a later deadline with a reason; a supervisor approves
or refuses; the item keeps both dates and the history; the light uses the approved one."""

from datetime import date

import pytest
from django.urls import reverse
from time_machine import travel

from mofan.audit.models import AuditEvent
from mofan.core.errors import InvalidInput
from mofan.ledger import services
from mofan.ledger.models import Extension, Item
from mofan.notify.models import Notification

pytestmark = pytest.mark.django_db


@pytest.fixture
def started(ledger_world):
    w = ledger_world
    with travel("2026-12-01 10:00:00+08:00", tick=False):
        services.transition(w.item, "assign", actor=w.sam)
        services.transition(w.item, "accept", actor=w.amy)
    return w


def _light(w, day):
    return Item.objects.filter(pk=w.item.pk).with_light(day).values_list("light", flat=True).get()


def test_approved_the_deadline_moves_the_first_is_kept_and_the_light_follows(started):
    w = started
    assert _light(w, date(2027, 1, 5)) == "red"  # past 2026年12月31日
    services.request_extension(
        w.item, actor=w.amy, deadline=date(2027, 1, 31), reason="需等待年度统计数据"
    )
    assert Notification.objects.filter(user=w.sam, kind="ledger.extension").count() == 1
    assert _light(w, date(2027, 1, 5)) == "red"  # nothing changes before the decision
    services.decide_extension(w.item, actor=w.sam, approve=True, comment="同意")
    w.item.refresh_from_db()
    assert (w.item.deadline, w.item.original_deadline) == (date(2027, 1, 31), date(2026, 12, 31))
    assert w.item.deadline_note == "经批准延期（原定2026年12月31日）"
    # no longer red; yellow because December's monthly report is missing
    assert _light(w, date(2027, 1, 5)) == "yellow"
    assert Notification.objects.filter(user=w.amy, kind="ledger.extension_decided").count() == 1
    assert [e.comment for e in w.item.events.filter(kind="extension")] == [
        "申请将时限由2026年12月31日延至2027年1月31日：需等待年度统计数据",
        "批准延期：时限由2026年12月31日延至2027年1月31日。同意",
    ]
    assert AuditEvent.objects.filter(action="ledger.extension.approved").get().changes == {
        "deadline": ["2026-12-31", "2027-01-31"]
    }
    # a second extension keeps the first deadline as the original
    services.request_extension(w.item, actor=w.amy, deadline=date(2027, 2, 28), reason="再延")
    services.decide_extension(w.item, actor=w.sam, approve=True)
    w.item.refresh_from_db()
    assert (w.item.deadline, w.item.original_deadline) == (date(2027, 2, 28), date(2026, 12, 31))


def test_refused_the_deadline_stays_and_a_reason_is_needed(started):
    w = started
    services.request_extension(w.item, actor=w.amy, deadline=date(2027, 1, 31), reason="忙")
    with pytest.raises(InvalidInput, match="不予批准须说明理由"):
        services.decide_extension(w.item, actor=w.sam, approve=False)
    services.decide_extension(w.item, actor=w.sam, approve=False, comment="年底前必须完成")
    w.item.refresh_from_db()
    assert w.item.deadline == date(2026, 12, 31) and w.item.original_deadline is None
    assert Extension.objects.get().state == "refused"


@pytest.mark.parametrize(
    ("deadline", "reason", "message"),
    [
        (date(2026, 12, 31), "理由", "须晚于现在的时限（2026年12月31日）"),
        (date(2026, 11, 30), "理由", "须晚于现在的时限"),
        (date(2027, 1, 31), "  ", "须说明理由"),
        (date(2040, 1, 1), "理由", "过远"),
    ],
)
def test_bad_requests_are_refused_in_chinese(started, deadline, reason, message):
    with pytest.raises(InvalidInput, match=message):
        services.request_extension(
            started.item, actor=started.amy, deadline=deadline, reason=reason
        )
    assert not Extension.objects.exists()


def test_one_pending_request_at_a_time_and_only_the_right_people(started):
    w = started
    with pytest.raises(services.NotAllowed):
        services.request_extension(w.item, actor=w.sam, deadline=date(2027, 1, 31), reason="x")
    services.request_extension(w.item, actor=w.amy, deadline=date(2027, 1, 31), reason="x")
    with pytest.raises(InvalidInput, match="已有一项延期申请待审批"):
        services.request_extension(w.item, actor=w.amy, deadline=date(2027, 2, 1), reason="y")
    for outsider in (w.amy, w.una, w.bob):
        with pytest.raises(services.NotAllowed):
            services.decide_extension(w.item, actor=outsider, approve=True)
    with pytest.raises(InvalidInput, match="没有待审批的延期申请"):
        services.decide_extension(w.item, actor=w.sam, approve=True)
        services.decide_extension(w.item, actor=w.sam, approve=True)


def test_ongoing_items_need_no_extension(started):
    w = started
    Item.objects.filter(pk=w.item.pk).update(deadline=None, ongoing=True)
    with pytest.raises(InvalidInput, match="无需申请延期"):
        services.request_extension(w.item, actor=w.amy, deadline=date(2027, 1, 31), reason="x")


def test_through_the_pages(started, login):
    w = started
    url = reverse("ledger:item", args=[w.item.pk])
    amy = login(w.amy)  # one test client: each login() signs it in as that user
    assert 'data-testid="extension-card"' in amy.get(url).content.decode()
    response = amy.post(
        reverse("ledger:item_action", args=[w.item.pk, "extension"]),
        {"deadline": "2026-12-01", "reason": "x"},
    )
    assert response.status_code == 400 and "须晚于现在的时限" in response.content.decode()
    response = amy.post(reverse("ledger:item_action", args=[w.item.pk, "extension"]), {})
    # a form left empty: its errors by the fields, and a line at the top saying where to look
    assert response.status_code == 400
    assert "“申请延期”未提交：请按该栏中标红的提示修改后再提交。" in response.content.decode()
    response = amy.post(
        reverse("ledger:item_action", args=[w.item.pk, "extension"]),
        {"deadline": "2027-01-31", "reason": "需等待年度统计数据"},
    )
    assert response.status_code == 302
    assert 'data-testid="extension-pending"' in amy.get(url).content.decode()
    sam = login(w.sam)
    page = sam.get(url).content.decode()
    assert 'data-testid="extension-decision"' in page and "需等待年度统计数据" in page
    response = sam.post(
        reverse("ledger:item_action", args=[w.item.pk, "extension_decision"]),
        {"decision": "approve", "comment": ""},
    )
    assert response.status_code == 302
    page = login(w.amy).get(url).content.decode()
    assert '<span data-testid="deadline">2027年1月31日</span>' in page
    assert '<dd class="col-8 col-md-9" data-testid="original-deadline">2026年12月31日</dd>' in page


def test_through_the_api_and_not_for_others(started, login):
    w = started
    answer = login(w.amy).post(
        f"/api/ledger-items/{w.item.pk}/extensions/",
        {"requested_deadline": "2027-01-31", "reason": "等数据"},
        content_type="application/json",
    )
    assert answer.status_code == 201 and answer.json()["state"] == "pending"
    # someone who does not see the item gets 404 for it, reading or deciding
    assert login(w.bob).get(f"/api/ledger-items/{w.item.pk}/extensions/").status_code == 404
    answer = login(w.bob).post(
        f"/api/ledger-items/{w.item.pk}/extension-decision/",
        {"approve": True},
        content_type="application/json",
    )
    assert answer.status_code == 404
    answer = login(w.sam).post(
        f"/api/ledger-items/{w.item.pk}/extension-decision/",
        {"approve": True},
        content_type="application/json",
    )
    assert answer.status_code == 200 and answer.json()["state"] == "approved"
    item = login(w.amy).get(f"/api/ledger-items/{w.item.pk}/").json()
    assert (item["deadline"], item["original_deadline"]) == ("2027-01-31", "2026-12-31")
