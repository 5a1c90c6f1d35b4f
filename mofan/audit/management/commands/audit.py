from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from mofan.audit import checkpoints, dbguard, services


class Command(BaseCommand):
    help = (
        "审计日志工具：verify 校验审计链（记录、链接与库外检查点）；checkpoint 立即写入检查点；"
        "anchor 在从备份恢复或检查点文件丢失后重新锚定；grants 生成应用运行账户的最小权限授权语句。"
    )

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        sub.add_parser("verify", help="校验审计链")
        sub.add_parser("checkpoint", help="将未入链的记录入链，并写入检查点")
        anchor = sub.add_parser("anchor", help="重新锚定检查点（须说明原因）")
        anchor.add_argument("--reason", required=True, help="原因，如：从2026年11月30日的备份恢复")
        grants = sub.add_parser("grants", help="应用运行账户的最小权限授权语句（PostgreSQL）")
        grants.add_argument("role", help="应用运行时使用的数据库账户")
        grants.add_argument("--apply", action="store_true", help="直接执行（须以表的所有者运行）")

    def handle(self, *args, subcommand, **options):
        return getattr(self, f"do_{subcommand}")(**options)

    def do_verify(self, **options):
        result = services.verify()
        for note in result.notes:
            self.stdout.write(note)
        if not result.ok:
            raise CommandError(f"审计链校验失败：{result.reason}（已校验 {result.checked} 条）。")
        self.stdout.write(self.style.SUCCESS(f"审计链完整：共 {result.checked} 条记录。"))

    def do_checkpoint(self, **options):
        linked = services.link_pending()
        seq, mac = services.chain_end()
        checkpoints.write("checkpoint", seq=seq, mac=mac)
        self.stdout.write(f"已入链 {linked} 条；检查点：第 {seq} 条（{checkpoints.path()}）。")

    def do_anchor(self, reason, **options):
        try:
            seq = services.anchor(reason=reason)
        except ValueError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(f"已在第 {seq} 条处重新锚定（{checkpoints.path()}）。")

    def do_grants(self, role, apply, **options):
        if connection.vendor != "postgresql":
            raise CommandError("最小权限授权仅适用于 PostgreSQL；嵌入式 SQLite 由文件权限保护。")
        statements = dbguard.least_privilege_grants(connection, role)
        if apply:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
            self.stdout.write(f"已为账户 {role} 执行 {len(statements)} 条授权语句。")
        else:
            self.stdout.write(";\n".join(statements) + ";")
