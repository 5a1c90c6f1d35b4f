from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from mofan.meetings import notices
from mofan.notify import services as notify


class Command(BaseCommand):
    help = "提醒尚未完成本月、本季度、本年度组织生活的党组织书记（每天运行一次；重复运行不会重复发送）。"

    def add_arguments(self, parser):
        parser.add_argument("--date", help="按指定日期计算（YYYY-MM-DD），默认今天")

    def handle(self, *args, date=None, **options):
        try:
            today = timezone.localdate() if date is None else _parse(date)
        except ValueError as exc:
            raise CommandError("日期格式应为 YYYY-MM-DD。") from exc
        counts = notices.period_reminders(today)
        sent = {"email": notify.send_pending_email(), "webhooks": notify.send_pending_webhooks()}
        self.stdout.write(
            f"{today.year}年{today.month}月{today.day}日：尚未完成的组织生活要求 {counts['gaps']} 项，"
            f"发出提醒 {counts['notices']} 条；发送邮件 {sent['email']} 封，群机器人消息 {sent['webhooks']} 条。"
        )


def _parse(text: str):
    return date.fromisoformat(text)
