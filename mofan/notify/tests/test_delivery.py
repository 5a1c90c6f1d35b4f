"""Delivery of e-mail and robot messages: each claimed by one worker, sent once, retried with
backoff after a failure, given up after MAX_ATTEMPTS with the error kept, and taken over when the
worker that claimed it died. (The race of two workers is in test_delivery_race.py, PostgreSQL.)"""

import io
from datetime import timedelta

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.mail.backends.locmem import EmailBackend as LocmemBackend
from django.core.management import call_command
from django.utils import timezone
from time_machine import travel

from mofan.notify import services as notify
from mofan.notify.models import DeliveryState, Notification, Webhook, WebhookDelivery

pytestmark = pytest.mark.django_db

FAILURES = {"left": 0}


class FlakyBackend(LocmemBackend):
    """The locmem outbox, but the next FAILURES["left"] messages are refused by the 'server'."""

    def send_messages(self, messages):
        if FAILURES["left"] > 0:
            FAILURES["left"] -= 1
            raise OSError("连接被拒绝")
        return super().send_messages(messages)


class DownBackend(BaseEmailBackend):
    def open(self):
        raise OSError("mail server unreachable")

    def send_messages(self, messages):  # pragma: no cover - never reached, open() fails
        raise AssertionError


@pytest.fixture
def flaky(settings):
    settings.EMAIL_BACKEND = "mofan.notify.tests.test_delivery.FlakyBackend"
    FAILURES["left"] = 0
    return FAILURES


def _notices(world, count: int = 3) -> list[Notification]:
    world.amy.email = "amy@dangjian.example"
    world.amy.save()
    notify.create(
        notify.Notice(world.amy.pk, "test", f"通知{n}", "正文", "/", f"t:{n}") for n in range(count)
    )
    return list(Notification.objects.filter(user=world.amy).order_by("pk"))


def test_each_notice_is_emailed_once_with_its_own_message_id(world, flaky):
    notices = _notices(world)
    assert notify.send_pending_email().sent == 3
    assert notify.send_pending_email().sent == 0
    assert sorted(m.extra_headers["Message-ID"] for m in mail.outbox) == sorted(
        f"<notice-{n.pk}@127.0.0.1>" for n in notices
    )
    assert set(Notification.objects.values_list("email_state", flat=True)) == {DeliveryState.SENT}


def test_notices_of_users_without_an_address_leave_the_queue(world, flaky):
    notify.create([notify.Notice(world.bob.pk, "test", "无邮箱", "", "/", "bob:1")])
    assert notify.send_pending_email().handled == 0
    notice = Notification.objects.get(user=world.bob)
    assert notice.email_state == DeliveryState.SKIPPED and not mail.outbox


def test_a_failed_send_is_retried_after_a_backoff(world, flaky):
    flaky["left"] = 1
    _notices(world, count=1)
    assert notify.send_pending_email().retrying == 1
    notice = Notification.objects.get(user=world.amy)
    assert (notice.email_state, notice.email_attempts) == (DeliveryState.PENDING, 1)
    assert "连接被拒绝" in notice.email_error
    assert notice.email_retry_at > timezone.now() + timedelta(minutes=4)
    assert notify.send_pending_email().sent == 0  # not before its retry time
    with travel(timezone.now() + timedelta(minutes=6)):
        assert notify.send_pending_email().sent == 1
    notice.refresh_from_db()
    assert (notice.email_state, notice.email_attempts, notice.email_error) == ("sent", 2, "")
    assert len(mail.outbox) == 1


def test_after_the_last_attempt_the_error_is_kept_and_reported(world, flaky):
    flaky["left"] = 100
    _notices(world, count=1)
    later = timezone.now()
    for _ in range(notify.MAX_ATTEMPTS):
        later += timedelta(hours=2)
        with travel(later):
            notify.send_pending_email()
    notice = Notification.objects.get(user=world.amy)
    assert notice.email_state == DeliveryState.FAILED
    assert notice.email_attempts == notify.MAX_ATTEMPTS
    assert notice.email_error == "OSError: 连接被拒绝"
    assert notify.failures() == {"email": 1, "webhooks": 0}
    with travel(later + timedelta(days=1)):
        assert notify.send_pending_email().handled == 0  # failed for good: not tried again


def test_the_command_reports_failures(world, flaky):
    flaky["left"] = 100
    world.amy.email = "amy@dangjian.example"
    world.amy.save()
    Notification.objects.create(user=world.amy, kind="test", title="通知", dedupe_key="k")
    out = io.StringIO()
    call_command("ledger_reminders", "--date", "2026-11-25", stdout=out)
    assert "发送邮件 0 封" in out.getvalue()
    assert "发送失败 1 条稍后重试，0 条已放弃" in out.getvalue()


def test_a_mail_server_that_is_down_fails_the_batch_for_a_retry(world, settings):
    settings.EMAIL_BACKEND = "mofan.notify.tests.test_delivery.DownBackend"
    _notices(world, count=2)
    assert notify.send_pending_email().retrying == 2
    states = set(Notification.objects.values_list("email_state", "email_attempts"))
    assert states == {(DeliveryState.PENDING, 1)}


def test_a_claim_left_by_a_dead_worker_is_taken_over_after_the_lease(world, flaky):
    flaky["left"] = 100
    first, second = _notices(world, count=2)
    notify.send_pending_email()  # both fail once, their retry due later
    flaky["left"] = 0
    now = timezone.now()
    Notification.objects.filter(pk=first.pk).update(
        email_state=DeliveryState.SENDING,
        email_claimed_by="dead-worker",
        email_claimed_at=now - notify.LEASE - timedelta(seconds=1),
    )
    Notification.objects.filter(pk=second.pk).update(
        email_state=DeliveryState.SENDING, email_claimed_by="busy-worker", email_claimed_at=now
    )
    assert notify.send_pending_email().sent == 1  # the dead worker's; not the busy one's
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.email_state == DeliveryState.SENT and first.email_attempts == 2
    assert second.email_state == DeliveryState.SENDING and second.email_claimed_by == "busy-worker"
    assert [m.extra_headers["Message-ID"] for m in mail.outbox] == [
        f"<notice-{first.pk}@127.0.0.1>"
    ]


def test_a_dead_workers_last_attempt_is_failed_not_retried(world, flaky):
    flaky["left"] = 100
    (notice,) = _notices(world, count=1)
    notify.send_pending_email()
    Notification.objects.filter(pk=notice.pk).update(
        email_state=DeliveryState.SENDING,
        email_attempts=notify.MAX_ATTEMPTS,
        email_claimed_at=timezone.now() - notify.LEASE - timedelta(minutes=1),
    )
    assert notify.send_pending_email().failed == 1
    notice.refresh_from_db()
    assert notice.email_state == DeliveryState.FAILED and "中断" in notice.email_error


class _Robot:
    def __init__(self, answers):
        self.answers, self.posts = list(answers), []

    def __call__(self, request, timeout):
        self.posts.append(request)
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer

        class Response:
            def __enter__(self):
                return self

            def __exit__(self, *exc):
                return False

            def read(self):
                return answer

        return Response()


def test_robot_messages_are_retried_when_refused_then_sent_once(world, monkeypatch):
    hook = Webhook.objects.create(
        name="群", kind="wecom", url="http://10.0.0.1/r", unit=world.unit_a
    )
    notify.queue_webhook(world.unit_a, "k1", "消息")
    robot = _Robot(
        [
            b'{"errcode":93000,"errmsg":"invalid webhook url"}',
            OSError("timed out"),
            b'{"errcode":0}',
        ]
    )
    monkeypatch.setattr("urllib.request.urlopen", robot)
    delivery = WebhookDelivery.objects.get(webhook=hook)
    assert notify.send_pending_webhooks().retrying == 1
    delivery.refresh_from_db()
    assert delivery.state == DeliveryState.PENDING and "93000" in delivery.error
    for minutes in (6, 20):
        with travel(timezone.now() + timedelta(minutes=minutes)):
            notify.send_pending_webhooks()
    delivery.refresh_from_db()
    assert (delivery.state, delivery.attempts, delivery.error) == (DeliveryState.SENT, 3, "")
    with travel(timezone.now() + timedelta(days=1)):
        assert notify.send_pending_webhooks().handled == 0
    assert len(robot.posts) == 3


def test_a_batch_that_runs_long_gives_back_what_it_did_not_try(world, flaky, monkeypatch):
    first, *rest = _notices(world, count=3)
    monkeypatch.setattr(notify, "SEND_BUDGET", timedelta(0))  # the first send already runs long
    assert notify.send_pending_email().sent == 1
    assert Notification.objects.get(pk=first.pk).email_state == DeliveryState.SENT
    given_back = Notification.objects.filter(pk__in=[n.pk for n in rest])
    assert set(given_back.values_list("email_state", "email_attempts")) == {("pending", 0)}
    monkeypatch.undo()
    assert notify.send_pending_email().sent == 2
    assert len(mail.outbox) == 3
