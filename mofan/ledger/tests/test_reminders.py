from datetime import date

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from mofan.access import services as access
from mofan.access.roles import Role
from mofan.ledger import notices, services
from mofan.ledger.models import Item
from mofan.notify import services as notify
from mofan.notify.models import Notification, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db


@pytest.fixture
def assigned(ledger_world):
    w = ledger_world
    services.transition(w.item, "assign", actor=w.sam)
    return w


def _titles(user):
    return sorted(Notification.objects.filter(user=user).values_list("title", flat=True))


def test_owners_hear_of_a_new_assignment(assigned):
    assert _titles(assigned.amy) == ["新交办督办事项 1"]


def test_reminders_at_seven_and_three_working_days_and_on_the_day(assigned):
    w = assigned
    Item.objects.filter(pk=w.item.pk).update(deadline=date(2026, 12, 31))
    notices.daily_reminders(date(2026, 12, 22))  # 7 working days before
    notices.daily_reminders(date(2026, 12, 28))  # 3 working days before
    notices.daily_reminders(date(2026, 12, 29))  # nothing
    notices.daily_reminders(date(2026, 12, 31))  # the day
    assert [t for t in _titles(w.amy) if "到期" in t] == [
        "督办事项 1 今天到期",
        "督办事项 1 还有 3 个工作日到期",
        "督办事项 1 还有 7 个工作日到期",
    ]


def test_running_the_job_twice_sends_nothing_twice(assigned):
    w = assigned
    Item.objects.filter(pk=w.item.pk).update(deadline=date(2026, 11, 20))
    first = notices.daily_reminders(date(2026, 11, 25))
    again = notices.daily_reminders(date(2026, 11, 25))
    assert first["overdue"] == 1 and again == {"due": 0, "overdue": 0, "escalated": 0}
    assert Notification.objects.filter(kind="ledger.overdue").count() == 1


def test_overdue_daily_and_escalation_after_three_working_days(assigned):
    w = assigned
    leader = access.create_user(
        actor=None, username="head_a", password="Head@2026x", temporary=False
    )
    access.grant_role(leader, actor=None, role=Role.LEADER, unit=w.unit_a)
    Item.objects.filter(pk=w.item.pk).update(deadline=date(2026, 11, 20))  # a Friday
    notices.daily_reminders(date(2026, 11, 24))  # 2 working days late: owners only
    assert not Notification.objects.filter(kind="ledger.escalated").exists()
    notices.daily_reminders(date(2026, 11, 25))  # 3 working days late: escalate
    assert "督办事项 1 已超期 3 个工作日，请督办" in _titles(w.sam)
    assert "本单位牵头的督办事项 1 已超期 3 个工作日" in _titles(leader)
    assert "督办事项 1 已超期 3 个工作日，请抓紧办理" in _titles(w.amy)


def test_urge_reaches_owners_and_the_units_robot(assigned, monkeypatch):
    w = assigned
    Webhook.objects.create(
        name="办公厅群", kind="wecom", url="http://10.0.0.1/robot", unit=w.unit_root
    )
    services.comment(w.item, actor=w.sam, text="请本周内报送", kind="urge")
    assert "催办：督办事项 1" in _titles(w.amy)
    delivery = WebhookDelivery.objects.get()
    assert "请本周内报送" in delivery.text
    sent = []

    class Response:
        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

        def read(self):
            return b'{"errcode":0}'

    monkeypatch.setattr(
        "urllib.request.urlopen", lambda request, timeout: sent.append(request) or Response()
    )
    assert notify.send_pending_webhooks().sent == 1
    assert notify.send_pending_webhooks().sent == 0  # delivered once
    assert b'"msgtype": "text"' in sent[0].data and "请本周内报送".encode() in sent[0].data


def test_email_goes_once_to_users_with_an_address(assigned, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    w = assigned
    w.amy.email = "amy@dangjian.example"
    w.amy.save()
    assert notify.send_pending_email().sent == 1
    assert notify.send_pending_email().sent == 0
    assert (
        mail.outbox[0].to == ["amy@dangjian.example"]
        and "新交办督办事项 1" in mail.outbox[0].subject
    )


def test_reminder_command_reports_what_it_did(assigned, capsys):
    Item.objects.filter(pk=assigned.item.pk).update(deadline=date(2026, 11, 20))
    call_command("ledger_reminders", "--date", "2026-11-25")
    out = capsys.readouterr().out
    assert "超期提醒 1 条" in out and "升级督办 1 条" in out


def test_inbox_shows_own_notices_and_marks_them_read(assigned, login):
    client = login(assigned.amy)
    page = client.get(reverse("notify:inbox"))
    assert "新交办督办事项 1" in page.content.decode()
    assert 'data-testid="unread">1<' in page.content.decode()
    notice = Notification.objects.get(user=assigned.amy)
    response = client.post(reverse("notify:inbox"), {"id": notice.pk})
    assert response["Location"] == reverse("ledger:item", args=[assigned.item.pk])
    notice.refresh_from_db()
    assert notice.read_at is not None


def test_nobody_opens_another_users_notice(assigned, login):
    notice = Notification.objects.get(user=assigned.amy)
    login(assigned.bob).post(reverse("notify:inbox"), {"id": notice.pk})
    notice.refresh_from_db()
    assert notice.read_at is None


def test_unread_badge_caps_at_99_plus(assigned, login):
    Notification.objects.bulk_create(
        [
            Notification(user=assigned.amy, kind="test", title=f"通知{i}", dedupe_key=f"t{i}")
            for i in range(120)
        ]
    )
    assert (
        'data-testid="unread">99+<'
        in login(assigned.amy).get(reverse("notify:inbox")).content.decode()
    )
