"""The shape of the daily reminder commands (`mofan ledger-reminders`, `mofan meeting-reminders`):
run once a day by cron on the embedded default (beat in production), `--date` to compute as of
another day, the e-mail and group-robot messages queued by the run sent at its end."""

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mofan.core.templatetags.mofan import cndate
from mofan.notify import services as notify


class DailyReminderCommand(BaseCommand):
    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def remind(self, today: date) -> str:
        """Queue the day's reminders; return what was done, in Chinese, for the summary line."""
        raise NotImplementedError

    def handle(self, *args, date=None, **options):
        try:
            today = timezone.localdate() if date is None else _parse(date)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        done = self.remind(today)
        email, webhooks = notify.send_pending_email(), notify.send_pending_webhooks()
        self.stdout.write(
            f"{cndate(today)}：{done}；发送邮件 {email} 封，群机器人消息 {webhooks} 条。"
        )


def _parse(text: str) -> date:
    return date.fromisoformat(text)
