from django.core.management.base import BaseCommand, CommandError

from mofan.audit import services as audit
from mofan.core import keys
from mofan.core.models import KeyCheck


class Command(BaseCommand):
    help = (
        "轮换密钥：先把新密钥设为 MOFAN_FIELD_KEY（或 MOFAN_HASH_KEY、MOFAN_AUDIT_KEY），旧密钥放入"
        " MOFAN_FIELD_PREVIOUS_KEYS（或对应的 _PREVIOUS_KEYS），再运行本命令：已加密的数据与检索摘要"
        "分批迁移到新密钥，中断后再次运行从中断处继续；完成后更新密钥校验值。"
    )

    def handle(self, *args, **options):
        rotated = 0
        for spec in keys.registered():
            found = keys.state(spec)
            if found.status in ("wrong", "contradicted"):
                raise CommandError(found.message)
            if found.status != "rotating":
                continue
            row = KeyCheck.objects.get(name=spec.env)
            moved = 0
            if spec.rotate is not None:
                self.stdout.write(f"{spec.env}：开始迁移（从上次中断处继续）……")

                def save(progress, name=spec.env):
                    KeyCheck.objects.filter(name=name).update(progress=progress)
                    self.stdout.write(f"  已完成：{progress}")

                moved = spec.rotate(row.progress, save)
            keys.store(spec)
            audit.record(
                None,
                "core.keys.rotated",
                payload={"key": spec.env, "values_moved": moved},
                actor_name="运维",
            )
            self.stdout.write(
                self.style.SUCCESS(f"{spec.env}：已迁移 {moved} 项，密钥校验值已更新为新密钥。")
            )
            rotated += 1
        if not rotated:
            self.stdout.write("没有正在轮换的密钥（各密钥与数据库一致）。")
