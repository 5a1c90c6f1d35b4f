from django.core.management.base import BaseCommand, CommandError

from mofan.audit import services


class Command(BaseCommand):
    help = "审计日志工具：verify 校验哈希链是否完整。"

    def add_arguments(self, parser):
        parser.add_argument("subcommand", choices=["verify"])

    def handle(self, *args, **options):
        result = services.verify()
        if not result.ok:
            raise CommandError(f"审计链校验失败：{result.reason}（已校验 {result.checked} 条）。")
        self.stdout.write(self.style.SUCCESS(f"审计链完整：共 {result.checked} 条记录。"))
