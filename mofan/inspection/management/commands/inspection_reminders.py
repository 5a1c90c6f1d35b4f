from mofan.inspection import rectify
from mofan.notify.commands import DailyReminderCommand


class Command(DailyReminderCommand):
    help = "提醒被巡察组织报送临近期限或已逾期的整改方案、整改情况报告（每天运行一次；重复运行不会重复发送）。"

    def remind(self, today) -> str:
        return f"巡察整改材料提醒 {rectify.remind(today)} 条"
