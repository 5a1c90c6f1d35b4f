"""The shape of the daily reminder commands (`mofan ledger-reminders`, `mofan meeting-reminders`):
run once a day by cron on the embedded default (beat in production), `--date` to compute as of
another day, the e-mail and group-robot messages queued by the run sent at its end."""

from abc import ABCMeta, abstractmethod
from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mofan.core.templatetags.mofan import cndate
from mofan.notify import services as notify


class DailyReminderCommand(BaseCommand, metaclass=ABCMeta):
    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    @abstractmethod
    def remind(self, today: date) -> str:
        """Queue the day's reminders; return what was done, in Chinese, for the summary line."""

    def handle(self, *args, date=None, **options):
        try:
            today = timezone.localdate() if date is None else _parse(date)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        done = self.remind(today)
        # A worker may be sending the same queue right now: each message goes once either way.
        email, webhooks = notify.send_pending_email(), notify.send_pending_webhooks()
        line = f"{cndate(today)}：{done}；发送邮件 {email.sent} 封，群机器人消息 {webhooks.sent} 条"
        retrying, failed = email.retrying + webhooks.retrying, email.failed + webhooks.failed
        if retrying or failed:
            line += f"；发送失败 {retrying} 条稍后重试，{failed} 条已放弃（错误见日志）"
        self.stdout.write(line + "。")


def _parse(text: str) -> date:
    return date.fromisoformat(text)
