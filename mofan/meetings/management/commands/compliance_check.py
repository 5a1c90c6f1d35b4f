import sys

from django.core.management.base import BaseCommand

from mofan.meetings import kept


class Command(BaseCommand):
    help = (
        "组织生活合规统计：将保存的各组织各月结果与全量重新计算逐项比对，报告差异"
        "（有差异时退出码为 1）；--recount 全部重新计算并保存。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--recount", action="store_true", help="全部重新计算并保存")
        parser.add_argument("--year", type=int, action="append", help="只处理某一年度（可重复）")

    def handle(self, *args, **options):
        years = options["year"]
        if options["recount"]:
            written = kept.recount_all(years)
            self.stdout.write(f"已重新计算并保存 {written} 条组织月度结果。")
            return
        found = kept.differences(years)
        for line in found:
            self.stdout.write(line)
        if found:
            self.stderr.write(f"组织生活合规统计有 {len(found)} 处与重新计算不一致。")
            sys.exit(1)
        self.stdout.write("组织生活合规统计与全量重新计算一致。")
