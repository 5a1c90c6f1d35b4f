from django.core.management.base import BaseCommand

from mofan.housekeeping import cleanup


class Command(BaseCommand):
    help = (
        "删除超过保留期的临时文件：导入文件和错误标注文件、临时导出文件、已放弃分解的上传文件、"
        "无记录引用的附件（每天运行一次；重复运行无害）。"
    )

    def handle(self, *args, **options):
        counts = cleanup.run()
        self.stdout.write(
            f"清理完成：导入文件 {counts['imports']} 个，临时导出文件 {counts['exports']} 个，"
            f"已放弃分解的文件 {counts['discarded']} 个，无引用的附件 {counts['orphans']} 个，"
            f"共释放 {counts['bytes'] / 1024 / 1024:.1f} MB。"
        )
