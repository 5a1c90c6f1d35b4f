from django.core.management.base import BaseCommand

from mofan.assessment import services


class Command(BaseCommand):
    help = "考核评价：按系统中的记录，重新计算所有未公布考核的自动计分指标。"

    def handle(self, *args, **options):
        result = services.compute_open_rounds()
        self.stdout.write(
            f"已重新计分考核 {result['rounds']} 轮，得分 {result['scores']} 项；"
            f"发出自评截止提醒 {result['reminders']} 条。"
        )
