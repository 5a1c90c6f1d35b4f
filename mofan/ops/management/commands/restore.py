from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from mofan.ops import restore
from mofan.ops.errors import OpsError
from mofan.ops.management.commands.backup import backup_key, printer


class Command(BaseCommand):
    help = (
        "从备份归档恢复数据库和附件。先完整校验归档（密钥、每一块的认证标签、清单和每个文件的"
        "校验值）、迁移状态和目标，全部通过后才写入；随后运行 audit verify。"
        "退出码：0 完成；1 环境错误；2 参数错误；3 归档被拒绝（密钥错误、截断、篡改、校验值不符）；"
        "4 恢复被拒绝（目标非空、数据库结构比程序新、数据库类型或数据密钥不同）；"
        "5 已恢复但审计链校验未通过。"
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", type=Path, help="备份归档（.mfbk）")
        parser.add_argument(
            "--database-url",
            default=None,
            help="恢复到这个数据库（postgres://… 或 sqlite:////绝对路径）；默认为当前配置的数据库",
        )
        parser.add_argument(
            "--media-root", type=Path, default=None, help="附件目录（默认 MEDIA_ROOT）"
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="目标数据库不是空的、或附件目录中有同名不同内容的文件时，仍然覆盖",
        )
        parser.add_argument(
            "--media-only",
            action="store_true",
            help="只恢复附件（数据库不动），用于数据库完好而附件丢失的情形",
        )
        parser.add_argument(
            "--verify-only",
            action="store_true",
            help="只校验归档（例如核对异地副本），不写入任何东西",
        )

    def handle(
        self, *args, archive, database_url, media_root, force, verify_only, media_only, **options
    ):
        try:
            restore.restore(
                archive,
                key=backup_key(),
                database_url=database_url,
                media_root=media_root,
                force=force,
                verify_only=verify_only,
                media_only=media_only,
                say=printer(self.stdout),
            )
        except OpsError as error:
            raise CommandError(f"恢复失败：{error.message}", returncode=error.exit_code) from error
        if verify_only:
            self.stdout.write(f"归档完好：{archive}（未写入任何数据）。")
