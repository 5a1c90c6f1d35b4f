from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mofan.ledger import notices
from mofan.notify import services as notify


class Command(BaseCommand):
    help = "发送督办事项的到期、超期提醒和超期升级（每天运行一次；重复运行不会重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        try:
            today = timezone.localdate() if date is None else _parse(date)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        counts = notices.daily_reminders(today)
        sent = {"email": notify.send_pending_email(), "webhooks": notify.send_pending_webhooks()}
        self.stdout.write(
            f"{today:%Y年%m月%d日}：到期提醒 {counts['due']} 条，超期提醒 {counts['overdue']} 条，升级督办 {counts['escalated']} 条；"
            f"发送邮件 {sent['email']} 封，群机器人消息 {sent['webhooks']} 条。"
        )


def _parse(text: str):
    return date.fromisoformat(text)
