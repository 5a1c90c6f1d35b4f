import sys

from django.core.management.base import BaseCommand
from django.utils import timezone

from mofan.ledger import board
from mofan.ledger.models import Ledger


class Command(BaseCommand):
    help = (
        "督办看板统计：重新统计有变化的台账（默认）；--all 全部重新统计；"
        "--check 将保存的统计与全量重新统计逐项比对，报告差异（有差异时退出码为 1）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--all", action="store_true", help="全部台账重新统计")
        parser.add_argument("--check", action="store_true", help="只比对，不修改")

    def handle(self, *args, **options):
        today = timezone.localdate()
        if options["check"]:
            found = board.differences(today)
            for line in found:
                self.stdout.write(line)
            if found:
                self.stderr.write(f"督办看板统计有 {len(found)} 处与重新统计不一致。")
                sys.exit(1)
            self.stdout.write("督办看板统计与全量重新统计一致。")
            return
        if options["all"]:
            counted = board.refresh(Ledger.objects.values_list("pk", flat=True), today)
        else:
            counted = board.refresh_due(today)
        self.stdout.write(f"已重新统计 {counted} 个台账。")
