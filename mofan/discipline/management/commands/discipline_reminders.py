from mofan.discipline import reports, services
from mofan.notify.commands import DailyReminderCommand


class Command(DailyReminderCommand):
    help = "提醒临近期限或逾期的问题线索办理环节和回访，以及尚未报送的个人有关事项报告（每天运行一次；重复运行不会重复发送）。"

    def remind(self, today) -> str:
        leads, late = services.remind(today), reports.remind(today)
        return f"问题线索和回访提醒 {leads} 条，个人有关事项报告提醒 {late} 条"
