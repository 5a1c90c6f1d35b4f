from django.core.management.base import BaseCommand
from django.utils import timezone

from mofan.recruitment import checks


class Command(BaseCommand):
    help = "发展党员检查：找出逾期未办的步骤（谈话、半年考察、审批、转正讨论等），提醒所在党支部。"

    def handle(self, *args, **options):
        result = checks.notify_overdue(timezone.localdate())
        self.stdout.write(f"逾期事项 {result['overdue']} 项，新发提醒 {result['notices']} 条。")
