import time

from django.core.management.base import BaseCommand

from mofan.dashboard import cockpit


class Command(BaseCommand):
    help = (
        "领导驾驶舱：统计当日的督办、组织生活、第一议题、中心组学习和整改数据（每日凌晨自动运行）。"
    )

    def handle(self, *args, **options):
        started = time.perf_counter()
        rows = cockpit.take()
        self.stdout.write(
            f"已统计 {rows} 个党组织和单位的数据，用时 {time.perf_counter() - started:.1f} 秒。"
        )
