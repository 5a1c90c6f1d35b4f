from django.core.management.base import BaseCommand
from django.utils import timezone

from mofan.members import checks


class Command(BaseCommand):
    help = "组织关系检查：过期未接收的介绍信、失联满6个月和停止党籍满2年的党员，提醒相关党组织。"

    def handle(self, *args, **options):
        result = checks.notify_due(timezone.localdate())
        self.stdout.write(f"到期事项 {result['due']} 项，新发提醒 {result['notices']} 条。")
