from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from mofan.ops import backup
from mofan.ops.errors import OpsError


def backup_key() -> bytes:
    key = getattr(settings, "BACKUP_KEY", None)
    if not key:
        raise CommandError(
            "未设置备份密钥：生产环境必须设置 MOFAN_BACKUP_KEY（64 位十六进制），"
            "并与备份分开保管。",
            returncode=1,
        )
    return key


def printer(stdout):
    """Progress lines out at once, even when the output goes to a log file."""

    def say(line: str) -> None:
        stdout.write(line)
        stdout.flush()

    return say


class Command(BaseCommand):
    help = (
        "备份：数据库、附件目录（MEDIA_ROOT）下的全部文件和带校验值的清单，"
        "加密（SM4-GCM）写入一个归档文件（权限 0600），并写出归档的 SHA-256。"
        "退出码：0 完成；1 环境错误（工具、连接、磁盘）；2 参数错误。"
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            default=None,
            help="备份目录（默认 MOFAN_BACKUP_DIR，未设置时为 var/backups）",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=0,
            help="完成后只保留该目录中最新的 N 份备份（默认 0：不删除）",
        )

    def handle(self, *args, output, keep, **options):
        if keep < 0:
            raise CommandError("--keep 不能为负数。", returncode=2)
        output = output or Path(settings.BACKUP_DIR)
        say = printer(self.stdout)
        try:
            backup.make_backup(output=output, key=backup_key(), say=say)
            if keep:
                backup.prune(output, keep, say)
        except OpsError as error:
            raise CommandError(f"备份失败：{error.message}", returncode=error.exit_code) from error
