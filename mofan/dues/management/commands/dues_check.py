from django.core.management.base import BaseCommand
from django.utils import timezone

from mofan.dues import checks


class Command(BaseCommand):
    help = "党费欠交检查：找出连续6个月未交纳党费且无正当理由的党员，提醒其党支部书记和党费收缴员。"

    def handle(self, *args, **options):
        result = checks.notify_lapses(timezone.localdate())
        self.stdout.write(
            f"连续6个月以上未交纳党费的党员 {result['lapses']} 人，新发提醒 {result['notices']} 条。"
        )
