from django.core.management.base import BaseCommand, CommandError

from mofan.notify import alarms


class Command(BaseCommand):
    help = "安全检查：校验整条审计链，失败时向安全审计员与安全保密管理员发出告警（每日运行一次）。"

    def handle(self, *args, **options):
        result = alarms.check_audit_trail()
        if not result.ok:
            raise CommandError(
                f"审计链校验失败：{result.reason}；已向安全审计员与安全保密管理员告警。"
            )
        self.stdout.write(f"审计链完整：共 {result.checked} 条记录。")
